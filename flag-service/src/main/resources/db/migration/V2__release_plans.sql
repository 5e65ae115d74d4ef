-- Release plans: a flag's scheduled way from off to everyone in one environment, advanced by a job that asks the
-- andon gate first. The plan's definition is the operator's request as given; the rest is where it stands.

create sequence release_plan_seq start with 1 increment by 50;

create table release_plan (
    id               bigint       primary key,
    flag_key         varchar(200) not null references flag (key) on delete cascade,
    environment_key  varchar(100) not null references environment (key) on delete cascade,
    definition       jsonb        not null,
    -- active, held (the gate is closed or cannot be read), paused (by hand), stopped, completed
    status           varchar(12)  not null,
    phase            int          not null,
    phase_started_at timestamptz  not null,
    -- when the next phase is due; null once the last phase is reached or the plan is stopped
    next_step_at     timestamptz,
    pause_reason     text,
    gate_checked_at  timestamptz,
    created_by       varchar(200) not null,
    updated_at       timestamptz  not null,
    version          bigint       not null default 0,
    unique (flag_key, environment_key)
);
create index release_plan_due on release_plan (status, next_step_at);
