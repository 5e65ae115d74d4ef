-- An event id is unique within its kind: a commit event and a downtime event that happen to share an id are both kept.
alter table ingested_event drop constraint ingested_event_pkey;
alter table ingested_event add primary key (kind, event_id);

-- What an incident says happened, shown in the defect-escape report.
alter table incident add column details varchar(4000);
create index incident_causing_release on incident (causing_release);

-- Commits by SHA: the first event naming a SHA wins (a push redelivered under another delivery id changes nothing).
create table source_commit (
    sha          varchar(64)  primary key,
    repository   varchar(200) not null,
    author       varchar(200),
    committed_at timestamptz  not null
);
create index source_commit_committed on source_commit (committed_at);

-- Releases by version with the commits each one adds.
create table release (
    version    varchar(100) primary key,
    created_at timestamptz  not null
);
create table release_commit (
    version varchar(100) not null references release (version),
    sha     varchar(64)  not null,
    primary key (version, sha)
);
create index release_commit_sha on release_commit (sha);

-- One upgrade of one instance to one release. The release may be registered later than its deployments arrive.
create table deployment (
    event_id    varchar(100) primary key,
    instance_id varchar(100) not null,
    release     varchar(100) not null,
    ring        varchar(40)  not null,
    started_at  timestamptz  not null,
    finished_at timestamptz  not null,
    success     boolean      not null
);
create index deployment_release on deployment (release);
create index deployment_finished on deployment (finished_at);
create index deployment_instance on deployment (instance_id, finished_at);

-- An outage of one instance, or of a whole service (which counts against every member of the fleet).
create table downtime (
    event_id    varchar(100) primary key,
    instance_id varchar(100),
    service     varchar(100),
    started_at  timestamptz  not null,
    ended_at    timestamptz  not null,
    planned     boolean      not null,
    source      varchar(40)  not null,
    constraint downtime_has_subject check ((instance_id is null) <> (service is null)),
    constraint downtime_ends_after_start check (ended_at > started_at)
);
create index downtime_started on downtime (started_at);

-- The goals operators set; one document, versioned for If-Match.
create table goal_set (
    id         smallint    primary key check (id = 1),
    goals      jsonb       not null,
    version    integer     not null,
    updated_by varchar(200),
    updated_at timestamptz not null
);
