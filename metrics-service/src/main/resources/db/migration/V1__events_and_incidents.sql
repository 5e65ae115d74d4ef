-- Every event id ever accepted: ingestion stores each id once, whatever the number of deliveries.
create table ingested_event (
    event_id    varchar(100) primary key,
    kind        varchar(20)  not null,
    received_at timestamptz  not null
);

-- Incidents as their latest snapshot; an older snapshot never overwrites a newer one.
create table incident (
    id                varchar(100)  primary key,
    severity          varchar(5)    not null,
    title             varchar(2000) not null,
    impact_started_at timestamptz,
    detected_at       timestamptz   not null,
    resolved_at       timestamptz,
    causing_release   varchar(100),
    causing_commits   jsonb         not null default '[]',
    fix_version       varchar(100),
    source            varchar(40)   not null,
    links             jsonb         not null default '[]',
    snapshot_at       timestamptz   not null
);
create index incident_detected on incident (detected_at);
