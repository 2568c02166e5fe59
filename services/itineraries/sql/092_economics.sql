-- Economics of itineraries: unit prices of catalogue services, planned intensity and delivered
-- units of stages, and per population segment what typically follows without intervention.
-- Costs are computed from these by the service (economics.c) and leave it only as aggregates
-- per segment; none of these tables feeds the change feed.

-- Unit prices of a service over time. A PUT replaces the whole list, checked for overlaps first;
-- the primary key keeps two prices from starting the same day.
create table service_prices (
    service_id uuid not null references services (id) on delete cascade,
    unit       text not null check (unit in ('hour', 'day', 'month', 'one_off')),
    unit_cost  numeric(12, 2) not null check (unit_cost >= 0),
    valid_from date not null,
    valid_to   date,   -- inclusive; null: until further notice
    source     text check (length(source) between 1 and 500),
    updated_at timestamptz not null default now(),
    primary key (service_id, valid_from),
    check (valid_to is null or valid_to >= valid_from)
);

-- Planned intensity (units per period, or a number of one-off units) and the units delivered,
-- reported by the provider. One row per stage, written by the roles that own each part.
create table stage_units (
    stage_id        uuid primary key references stages (id) on delete cascade,
    intensity       numeric(10, 2) check (intensity > 0),
    period          text check (period in ('day', 'week', 'month', 'one_off')),
    delivered_units numeric(12, 2) check (delivered_units >= 0),
    updated_at      timestamptz not null default now(),
    check ((intensity is null) = (period is null))
);

-- Segments are a risk band and an area (a comarca or a municipality of the reference list). In a
-- URL the area is a slug: lower case ASCII letters and digits joined by '-'.
create or replace function area_slug(name text) returns text language sql immutable as $$
    select trim(both '-' from regexp_replace(lower(translate(name,
        'áàâäéèêëíìîïóòôöúùûüñçÁÀÂÄÉÈÊËÍÌÎÏÓÒÔÖÚÙÛÜÑÇ',
        'aaaaeeeeiiiioooouuuuncAAAAEEEEIIIIOOOOUUUUNC')), '[^a-z0-9]+', '-', 'g'))
$$;

-- What typically follows without intervention in a segment: events with their likelihood over
-- the horizon and their cost. A PUT replaces the segment's whole table.
create table no_intervention (
    risk_band      text not null check (risk_band in ('unassessed', 'low', 'moderate', 'high')),
    area_kind      text not null check (area_kind in ('comarca', 'municipality')),
    area           text not null,
    position       int not null check (position >= 1),
    event          text not null check (length(event) between 1 and 300),
    likelihood     numeric(5, 4) not null check (likelihood between 0 and 1),
    cost           numeric(12, 2) not null check (cost >= 0),
    source         text not null check (length(source) between 1 and 500),
    horizon_months int not null check (horizon_months between 1 and 120),
    updated_at     timestamptz not null default now(),
    primary key (risk_band, area_kind, area, position)
);
