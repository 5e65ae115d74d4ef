-- Who closed a cord, and the webhooks that hear about pulls and resolves with their delivery log.
alter table cord add column closed_by varchar(200);

create sequence webhook_seq start with 1 increment by 50;

create table webhook (
    id          bigint primary key,
    url         varchar(500)  not null,
    -- Kept in clear: every delivery is signed with it (HMAC-SHA256). Never returned after creation.
    secret      varchar(200)  not null,
    description varchar(200),
    created_by  varchar(200)  not null,
    created_at  timestamptz   not null
);

create sequence webhook_delivery_seq start with 1 increment by 50;

create table webhook_delivery (
    id               bigint primary key,
    webhook_id       bigint        not null references webhook (id) on delete cascade,
    event            varchar(20)   not null,
    cord_id          bigint        not null,
    payload          text          not null,
    status           varchar(10)   not null,
    attempts         integer       not null default 0,
    created_at       timestamptz   not null,
    next_attempt_at  timestamptz   not null,
    delivered_at     timestamptz,
    last_status_code integer,
    last_error       varchar(1000)
);
create index webhook_delivery_due on webhook_delivery (next_attempt_at) where status = 'PENDING';
create index webhook_delivery_webhook on webhook_delivery (webhook_id, id);
