-- The ring whose canary analysis detected an incident (time to detect is reported per ring), and the incident a
-- release was cut to fix, as its release event says (its deployments count as rework).
alter table incident add column ring varchar(40);
alter table release add column fixes_incident varchar(100);
-- Rework looks up the deployments of the few fix releases by release (deployment_release) and the fix releases here.
create index incident_fix_version on incident (fix_version) where fix_version is not null;
