-- Freezes: times in which no upgrade starts, for everyone, one reef or one tenant. Either a one-off
-- [starts_at, ends_at) or a weekly recurrence written like a maintenance window. ("freeze" is reserved in PostgreSQL.)
create sequence freeze_seq start with 1 increment by 50;

create table upgrade_freeze (
    id         bigint        primary key,
    scope      varchar(10)   not null,
    target     varchar(253),
    starts_at  timestamptz,
    ends_at    timestamptz,
    weekly     varchar(200),
    reason     varchar(2000) not null,
    created_by varchar(200)  not null,
    created_at timestamptz   not null,
    constraint freeze_period check ((weekly is null) <> (starts_at is null and ends_at is null))
);
