-- Instances discovered in the reefs, with the operator's overrides kept here rather than in the cluster.
create table instance (
    id              varchar(253)  primary key,
    reef            varchar(100)  not null,
    region          varchar(100)  not null,
    tenant          varchar(200),
    window_text     varchar(200),
    active          boolean       not null,
    annotation_pin  varchar(10),
    pin_override    varchar(10),
    opted_out       boolean       not null default false,
    image           varchar(500),
    current_version varchar(100),
    valid           boolean       not null,
    errors          text          not null default '[]',
    discovered_at   timestamptz   not null,
    changed_at      timestamptz   not null,
    version         bigint        not null default 0
);
create index instance_reef on instance (reef);

-- The one ring policy; absent means the defaults.
create table ring_policy (
    id         integer       primary key,
    document   text          not null,
    updated_by varchar(200)  not null,
    updated_at timestamptz   not null,
    version    bigint        not null default 0
);

-- Registered releases with the ring assignment drawn when they were registered, so canaries never change.
create sequence release_seq start with 1 increment by 50;

create table release (
    id                    bigint        primary key,
    version               varchar(100)  not null unique,
    image                 varchar(500)  not null,
    channel               varchar(100)  not null,
    commits               text          not null,
    created_at            timestamptz   not null,
    expedite              boolean       not null,
    ignore_windows        boolean       not null,
    ignore_windows_reason varchar(2000),
    registered_by         varchar(200)  not null,
    registered_at         timestamptz   not null,
    seed                  bigint        not null,
    policy                text          not null,
    assignment            text          not null,
    canaries              text          not null
);
