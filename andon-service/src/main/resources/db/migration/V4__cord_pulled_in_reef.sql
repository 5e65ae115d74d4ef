-- The reef a cord was pulled in, when a reef's cell forwarded it to the hub (null for a pull made at the hub itself).
-- Who pulled and when stay in pulled_by and pulled_at: the person or sidecar the cell verified, at the cell's time.
alter table cord add column pulled_in_reef varchar(100);
