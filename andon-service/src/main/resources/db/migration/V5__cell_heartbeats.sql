-- The last heartbeat of every replica of every reef's cell (PUT /api/cells/{reef}): when the hub heard it (the hub's
-- clock) and how many cords the replica's spool still held for the hub. The gate keeps a reef's line stopped while one
-- of its replicas is silent or reports cords waiting. A reef without a row is judged by its cords only.
create table cell_heartbeat (
    reef             varchar(100) not null,
    replica          varchar(100) not null,
    last_heard_at    timestamptz  not null,
    queued_cords     integer      not null check (queued_cords >= 0),
    oldest_queued_at timestamptz,
    sent_at          timestamptz  not null,
    reported_by      varchar(200) not null,
    primary key (reef, replica)
);
