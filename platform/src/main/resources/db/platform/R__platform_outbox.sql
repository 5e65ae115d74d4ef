-- The transactional outbox every service shares (see io.reefline.platform.outbox).
-- Repeatable and idempotent: each service applies it after its own versioned migrations.
create table if not exists outbox_message (
    id              uuid primary key,
    destination     varchar(40)   not null,
    path            varchar(200)  not null,
    payload         text          not null,
    created_at      timestamptz   not null,
    attempts        integer       not null default 0,
    next_attempt_at timestamptz   not null,
    delivered_at    timestamptz,
    last_error      varchar(1000)
);
create index if not exists outbox_message_due on outbox_message (next_attempt_at) where delivered_at is null;
