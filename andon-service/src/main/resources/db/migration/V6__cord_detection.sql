-- What an automatic pull (canary analysis) knows besides the pull itself: when the release first reached a customer
-- (impact_started_at), when the problem was detected (detected_at: the pull time unless the pull said otherwise), the
-- ring that detected it, and the evidence (a JSON object kept as sent, at most 16 KB, so its fields keep their order).
alter table cord add column impact_started_at timestamptz;
alter table cord add column detected_at timestamptz;
update cord set detected_at = pulled_at;
alter table cord alter column detected_at set not null;
alter table cord add column ring varchar(40);
alter table cord add column evidence text;
