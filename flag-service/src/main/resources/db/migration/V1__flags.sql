-- Environments, flags, their per-environment configuration, SDK keys and the audit log.

create table environment (
    key        varchar(100) primary key,
    name       varchar(200) not null,
    -- flagd's shared evaluators ($evaluators) that raw JsonLogic targeting of this environment may $ref
    evaluators jsonb        not null default '{}',
    -- flagd's set metadata (e.g. flagSetId), merged under every flag's own metadata
    metadata   jsonb        not null default '{}',
    created_at timestamptz  not null,
    version    bigint       not null default 0
);

create table flag (
    key              varchar(200)  primary key,
    name             varchar(200)  not null,
    notes            text          not null default '',
    type             varchar(10)   not null,
    variants         jsonb         not null,
    default_variant  varchar(200)  not null,
    metadata         jsonb         not null default '{}',
    owner            varchar(200)  not null,
    created_at       timestamptz   not null,
    expected_removal date,
    version          bigint        not null default 0
);

create sequence flag_environment_seq start with 1 increment by 50;

create table flag_environment (
    id              bigint       primary key,
    flag_key        varchar(200) not null references flag (key) on delete cascade,
    environment_key varchar(100) not null references environment (key) on delete cascade,
    enabled         boolean      not null,
    -- null: the caller's code default applies (a flagd flag without defaultVariant)
    default_variant varchar(200),
    -- none, structured (the editor's form) or json-logic (raw, e.g. from a flagd import)
    targeting_kind  varchar(12)  not null,
    targeting       jsonb,
    -- when the flag last became the same for everyone here (disabled, or enabled without targeting); null while
    -- targeting splits it. The stale-flag report reads it.
    uniform_since   timestamptz,
    updated_at      timestamptz  not null,
    version         bigint       not null default 0,
    unique (flag_key, environment_key)
);
create index flag_environment_environment on flag_environment (environment_key);

create sequence sdk_key_seq start with 1 increment by 50;

create table sdk_key (
    id              bigint       primary key,
    environment_key varchar(100) not null references environment (key) on delete cascade,
    -- the first characters of the key, shown to people so they can tell keys apart; the key itself is not stored
    prefix          varchar(20)  not null,
    hash            varchar(64)  not null unique,
    created_by      varchar(200) not null,
    created_at      timestamptz  not null,
    revoked_at      timestamptz
);

create sequence audit_entry_seq start with 1 increment by 50;

create table audit_entry (
    id              bigint       primary key,
    flag_key        varchar(200) not null,
    environment_key varchar(100),
    actor           varchar(200) not null,
    at              timestamptz  not null,
    action          varchar(40)  not null,
    before          jsonb,
    after           jsonb
);
create index audit_entry_flag on audit_entry (flag_key, id);

-- Grows with every committed change of anything evaluation depends on; every replica polls it and rebuilds its
-- snapshots when it moves.
create table flag_change (
    id      int    primary key check (id = 1),
    version bigint not null
);
insert into flag_change (id, version) values (1, 1);
