-- Fenced transitions: the replica holding the upgrade lock takes a new term when it takes the lock; every write of the
-- scheduler checks, in its own transaction, that its term is still the current one. A replica that lost the lock (and
-- so its term) cannot move an upgrade.
create table upgrade_leader (
    id       integer      primary key check (id = 1),
    term     bigint       not null,
    holder   varchar(200),
    taken_at timestamptz
);
insert into upgrade_leader (id, term) values (1, 0);

-- A real soak: passing checks count only when spread over the soak; the recent results decide the clean tail.
alter table upgrade add column last_pass_at timestamptz;
alter table upgrade add column recent_checks integer not null default 0;
alter table upgrade add column checks_run integer not null default 0;
-- Per-upgrade backoff: a refused request (4xx) is retried after a growing wait and given up after a bounded time.
alter table upgrade add column first_error_at timestamptz;
alter table upgrade add column next_attempt_at timestamptz;
