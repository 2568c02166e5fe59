-- Place ids of the aggregate routes (?scope=comarca:<slug> | municipality:<INE code>), in every
-- service's schema. A comarca is named in a URL by its slug: lower case ASCII letters and digits
-- joined by '-' (the same rule as the itineraries' segments). A municipality is named by its
-- 5-digit INE code; until the reference table carries every code, municipality_ine maps the
-- codes of the Gipuzkoa municipalities where the hub works to their reference names.
create or replace function area_slug(name text) returns text language sql immutable as $$
    select trim(both '-' from regexp_replace(lower(translate(name,
        'áàâäéèêëíìîïóòôöúùûüñçÁÀÂÄÉÈÊËÍÌÎÏÓÒÔÖÚÙÛÜÑÇ',
        'aaaaeeeeiiiioooouuuuncAAAAEEEEIIIIOOOOUUUUNC')), '[^a-z0-9]+', '-', 'g'))
$$;

create table if not exists municipality_ine (
    code text primary key check (code ~ '^[0-9]{5}$'),
    name text not null unique references municipality (name)
);
insert into municipality_ine (code, name) values
    ('20009', 'Andoain'),
    ('20017', 'Azkoitia'),
    ('20018', 'Azpeitia'),
    ('20019', 'Beasain'),
    ('20030', 'Eibar'),
    ('20032', 'Elgoibar'),
    ('20036', 'Hondarribia'),
    ('20040', 'Hernani'),
    ('20045', 'Irun'),
    ('20046', 'Legazpi'),
    ('20055', 'Arrasate/Mondragón'),
    ('20059', 'Oñati'),
    ('20061', 'Ordizia'),
    ('20064', 'Pasaia'),
    ('20067', 'Errenteria'),
    ('20069', 'Donostia/San Sebastián'),
    ('20071', 'Tolosa'),
    ('20074', 'Bergara'),
    ('20079', 'Zarautz'),
    ('20081', 'Zumaia'),
    ('20902', 'Lasarte-Oria')
on conflict (code) do nothing;

-- The municipality names of a scope: every municipality of the comarca of that slug, or the one
-- of that INE code. Empty for an unknown place.
create or replace function scope_municipalities(kind text, id text) returns text[]
language sql stable as $$
    select coalesce(array_agg(m.name), '{}') from municipality m
     where (kind = 'comarca' and area_slug(m.comarca) = id)
        or (kind = 'municipality'
            and m.name = (select i.name from municipality_ine i where i.code = id))
$$;
