-- The Idempotency-Key a cord was pulled with: a repeated pull with the same key answers the stored cord. Pulls
-- without a key leave it null, as often as they like (a unique index counts no nulls).
alter table cord add column pull_key varchar(100);
create unique index cord_pull_key on cord (pull_key);
