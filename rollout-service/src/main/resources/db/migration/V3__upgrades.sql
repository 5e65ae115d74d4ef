-- One row per upgrade of one instance to one release, written before every side effect on the cluster:
-- PLANNED (decided, previous image read) -> STARTED (the Deployment was patched) -> VERIFYING (available on the new
-- image, post-upgrade checks running) -> SUCCEEDED; or -> FAILED (cord pulled, previous image being restored) ->
-- RESTORED; or PLANNED -> CANCELLED when the patch was never sent (gate closed meanwhile, instance gone).
create sequence upgrade_seq start with 1 increment by 50;

create table upgrade (
    id              bigint        primary key,
    instance_id     varchar(253)  not null,
    reef            varchar(100)  not null,
    release_version varchar(100)  not null,
    ring            varchar(40),
    target_image    varchar(500)  not null,
    previous_image  varchar(500)  not null,
    state           varchar(12)   not null,
    reason          text,
    planned_at      timestamptz   not null,
    started_at      timestamptz,
    available_at    timestamptz,
    failed_at       timestamptz,
    finished_at     timestamptz,
    last_check_at   timestamptz,
    check_failures  integer       not null default 0,
    checks_passed   integer       not null default 0,
    attempts        integer       not null default 0,
    last_error      varchar(2000),
    cord_event_id   uuid,
    version         bigint        not null default 0
);
-- Never twice: one upgrade per instance and release that is not cancelled ...
create unique index upgrade_once_per_release on upgrade (instance_id, release_version) where state <> 'CANCELLED';
-- ... and at most one running upgrade per instance.
create unique index upgrade_one_running on upgrade (instance_id)
    where state in ('PLANNED', 'STARTED', 'VERIFYING', 'FAILED');
create index upgrade_release on upgrade (release_version);
