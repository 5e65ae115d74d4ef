-- Variants live with each environment's configuration: flagd users keep one file per environment, and the same flag
-- key may have other variants (and another default) in each. The flag's own variants and default variant stay as the
-- template a new environment starts with. Existing configurations take the flag's variants, so nothing evaluates
-- differently after this migration.
alter table flag_environment add column variants jsonb;
update flag_environment fe set variants = f.variants from flag f where f.key = fe.flag_key;
alter table flag_environment alter column variants set not null;

-- The flag's metadata as this environment's flagd file gave it; null: the flag's own metadata applies.
alter table flag_environment add column metadata jsonb;

-- Whether this environment has the flag of its own accord: false only for the disabled placeholder a flagd import into
-- another environment creates here. Such a flag is left out of this environment's flagd export (its file never named
-- it) until it is configured here.
alter table flag_environment add column declared boolean not null default true;

-- Problems flagd would load anyway (unknown $ref, wrong argument counts, variants never served, ...) found when this
-- configuration was last written: [{path, message}]. Shown on the flag's page and in the import answer.
alter table flag_environment add column warnings jsonb not null default '[]';

comment on column flag.variants is 'the variants a new environment starts with; each environment keeps its own';
comment on column flag.default_variant is 'the default variant a new environment starts with';
