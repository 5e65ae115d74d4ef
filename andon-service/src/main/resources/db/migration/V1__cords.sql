-- Andon cords and every transition they went through.
create sequence cord_seq start with 1 increment by 50;

create table cord (
    id                bigint primary key,
    state             varchar(10)   not null,
    reason            varchar(2000) not null,
    category          varchar(40)   not null,
    severity          varchar(5)    not null,
    scope             varchar(200)  not null,
    suspected_release varchar(100),
    links             jsonb         not null default '[]',
    allow_rings       jsonb         not null default '[]',
    pulled_by         varchar(200)  not null,
    pulled_at         timestamptz   not null,
    resolved_by       varchar(200),
    resolved_at       timestamptz,
    resolution        varchar(2000),
    fix_version       varchar(100),
    closed_at         timestamptz,
    version           bigint        not null default 0
);
create index cord_state on cord (state);

create sequence cord_transition_seq start with 1 increment by 50;

create table cord_transition (
    id       bigint primary key,
    cord_id  bigint       not null references cord (id),
    action   varchar(10)  not null,
    actor    varchar(200) not null,
    at       timestamptz  not null,
    note     varchar(2000)
);
create index cord_transition_cord on cord_transition (cord_id);
