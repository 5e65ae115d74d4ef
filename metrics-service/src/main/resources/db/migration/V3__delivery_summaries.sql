-- Summaries of the deployment table, so that a report reads a few thousand rows instead of every deployment.
-- Deployments are append-only (an event id is stored once and never changed), and each summary column is a min, a max,
-- an "or" or a count: all of them can be folded in as rows arrive, in any order and in batches of any size.

-- When each release reached whom (see METRICS.md): one row per release that has at least one deployment.
create table release_reach (
    release           varchar(100) primary key,
    -- earliest finish of a successful upgrade of a customer instance (any ring but staff)
    first_customer_at timestamptz,
    -- latest finish of a successful upgrade of a non-laggard customer instance
    non_laggards_at   timestamptz,
    -- earliest start of any upgrade of a customer instance, failed or not
    first_attempt_at  timestamptz,
    -- some upgrade of a customer instance failed
    failed_upgrade    boolean not null
);
create index release_reach_first_customer on release_reach (first_customer_at);
create index release_reach_first_attempt on release_reach (first_attempt_at);

-- Successful customer upgrades per UTC hour: weeks and months start on an hour, so whole hours sum into any bucket.
create table instance_upgrade_hour (
    hour     timestamptz primary key,
    upgrades bigint      not null
);

-- When each instance was first seen in a deployment (a fleet member for uptime from then on).
create table instance_first_deployment (
    instance_id varchar(100) primary key,
    first_at    timestamptz  not null
);

-- Folds a set of new deployment rows into the summaries. Rows are upserted in key order so that two concurrent batches
-- lock shared summary rows in the same order and cannot deadlock; least/greatest ignore nulls, which is what a
-- filtered min/max over the union of old and new rows gives.
create function fold_deployments_into_summaries() returns trigger language plpgsql as $$
begin
    insert into release_reach as s (release, first_customer_at, non_laggards_at, first_attempt_at, failed_upgrade)
    select d.release,
           min(d.finished_at) filter (where d.success and d.ring <> 'staff'),
           max(d.finished_at) filter (where d.success and d.ring not in ('staff', 'laggard')),
           min(d.started_at) filter (where d.ring <> 'staff'),
           coalesce(bool_or(not d.success) filter (where d.ring <> 'staff'), false)
    from new_deployments d
    group by d.release
    order by d.release
    on conflict (release) do update set
        first_customer_at = least(s.first_customer_at, excluded.first_customer_at),
        non_laggards_at = greatest(s.non_laggards_at, excluded.non_laggards_at),
        first_attempt_at = least(s.first_attempt_at, excluded.first_attempt_at),
        failed_upgrade = s.failed_upgrade or excluded.failed_upgrade;

    insert into instance_upgrade_hour as s (hour, upgrades)
    select date_trunc('hour', d.finished_at, 'UTC') as hour, count(*)
    from new_deployments d
    where d.success and d.ring <> 'staff'
    group by 1
    order by 1
    on conflict (hour) do update set upgrades = s.upgrades + excluded.upgrades;

    insert into instance_first_deployment as s (instance_id, first_at)
    select d.instance_id, min(d.finished_at)
    from new_deployments d
    group by d.instance_id
    order by d.instance_id
    on conflict (instance_id) do update set first_at = least(s.first_at, excluded.first_at);
    return null;
end
$$;

-- A statement-level trigger: the summaries change in the same transaction as the insert, once per statement (one
-- aggregation for a bulk load, one upsert per summary for an ingested event), whatever path inserted the rows.
create trigger deployment_summaries after insert on deployment
    referencing new table as new_deployments
    for each statement execute function fold_deployments_into_summaries();

-- Deployments stored before this migration: fold them all in as one batch.
create function rebuild_delivery_summaries() returns void language sql as $$
    truncate release_reach, instance_upgrade_hour, instance_first_deployment;
    insert into release_reach (release, first_customer_at, non_laggards_at, first_attempt_at, failed_upgrade)
    select d.release,
           min(d.finished_at) filter (where d.success and d.ring <> 'staff'),
           max(d.finished_at) filter (where d.success and d.ring not in ('staff', 'laggard')),
           min(d.started_at) filter (where d.ring <> 'staff'),
           coalesce(bool_or(not d.success) filter (where d.ring <> 'staff'), false)
    from deployment d
    group by d.release;
    insert into instance_upgrade_hour (hour, upgrades)
    select date_trunc('hour', d.finished_at, 'UTC'), count(*)
    from deployment d
    where d.success and d.ring <> 'staff'
    group by 1;
    insert into instance_first_deployment (instance_id, first_at)
    select d.instance_id, min(d.finished_at) from deployment d group by d.instance_id;
$$;
select rebuild_delivery_summaries();
