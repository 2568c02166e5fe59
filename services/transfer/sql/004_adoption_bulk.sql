-- NDJSON pushes of adoptions (POST /v1/transfer/adoptions/bulk): each line is upserted by
-- (owner, external_id) in its own subtransaction. A new adoption is created as by POST; an
-- existing one takes the details sent (adoption_save) and, when the line names another status,
-- moves to it if the lifecycle allows that move (the practice and the adopter never change).
-- Rows as the bulk engine reads them: (line, id, action created | updated | error, pointer, detail).
create or replace function adoption_bulk(p_owner uuid, p_chunk jsonb)
returns table (line int, id uuid, action text, pointer text, detail text)
language plpgsql as $$
declare
    item jsonb;
    v_existing uuid;
    v_status text;
    v_state text;
begin
    for item in select * from jsonb_array_elements(p_chunk) loop
        line := (item->>'i')::int;
        id := null;
        pointer := null;
        detail := null;
        begin
            select a.id, a.status into v_existing, v_status from adoptions a
             where a.owner_org = p_owner and a.external_id = item->'d'->>'external_id';
            if v_existing is null and item->'d'->>'status' = 'abandoned' then
                raise exception 'a new adoption cannot start abandoned' using errcode = 'P0001',
                    hint = '/status';
            end if;
            select s.id into id
              from adoption_save(v_existing, p_owner, false, null, item->'d') s;
            if v_existing is not null and item->'d' ? 'status'
               and item->'d'->>'status' is distinct from v_status then
                if not adoption_move_allowed(v_status, item->'d'->>'status') then
                    raise exception 'an adoption cannot move from % to %', v_status,
                        item->'d'->>'status' using errcode = 'P0001', hint = '/status';
                end if;
                update adoptions a set status = item->'d'->>'status',
                       status_since = coalesce((item->'d'->>'status_since')::date, current_date),
                       status_note = item->'d'->>'note'
                 where a.id = v_existing;
            end if;
            action := case when v_existing is null then 'created' else 'updated' end;
        exception
            when raise_exception then
                get stacked diagnostics detail = message_text, pointer = pg_exception_hint;
                action := 'error';
                id := null;
                if pointer = '/date' then
                    pointer := '/status_since'; -- the lifecycle trigger names the move's date
                end if;
            when others then
                get stacked diagnostics v_state = returned_sqlstate;
                action := 'error';
                id := null;
                if v_state = '23505' then
                    pointer := '/adopter_organisation_id';
                    detail := 'already has an adoption of this practice';
                else
                    pointer := '';
                    detail := 'could not be stored';
                end if;
        end;
        return next;
    end loop;
end $$;
