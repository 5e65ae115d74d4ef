-- What each instance's sidecar observed, one row per instance and reporting window: the data canary analysis compares.
-- A window reported twice (a sidecar or a cell resending after a lost answer) is stored once.
create table instance_signal (
    instance_id     varchar(253)     not null,
    window_from     timestamptz      not null,
    window_to       timestamptz      not null,
    reef            varchar(100)     not null,
    version         varchar(100)     not null,
    requests        bigint,
    errors          bigint,
    latency_ms      double precision,
    health_checks   integer          not null,
    health_failures integer          not null,
    restarts        integer          not null,
    received_at     timestamptz      not null,
    primary key (instance_id, window_from),
    check (window_to > window_from),
    check (requests is null or requests >= 0),
    check (errors is null or (requests is not null and errors >= 0 and errors <= requests)),
    check (latency_ms is null or latency_ms >= 0),
    check (health_checks >= 0 and health_failures >= 0 and health_failures <= health_checks),
    check (restarts >= 0)
);
-- Analysis reads the windows of a ring's reefs over an interval; retention deletes by age.
create index instance_signal_reef_from on instance_signal (reef, window_from);
create index instance_signal_from on instance_signal (window_from);

-- Every verdict canary analysis took, with the numbers that led to it and what followed.
create table canary_verdict (
    id              bigserial        primary key,
    release_version varchar(100)     not null,
    ring            varchar(40)      not null,
    outcome         varchar(20)      not null check (outcome in ('PASS', 'FAIL', 'INCONCLUSIVE')),
    dry_run         boolean          not null,
    window_from     timestamptz,
    window_to       timestamptz,
    taken_at        timestamptz      not null,
    summary         varchar(2000)    not null,
    acted           varchar(500)     not null,
    evidence        text             not null
);
create index canary_verdict_release_ring on canary_verdict (release_version, ring, taken_at desc, id desc);
