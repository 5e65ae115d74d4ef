-- Every instance belongs to exactly one release channel (annotation reefline.io/channel, default stable); a release
-- upgrades only the instances of its channel. As wide as release.channel.
alter table instance add column channel varchar(100) not null default 'stable';
create index instance_channel on instance (channel);
