-- Incident response: the security event log, freezing practices, revoking sessions, and the
-- incident timeline whose clocks the security page promises (containment within 4 hours of
-- discovery, practices told within 24, the ICO within 72 when personal data is involved).
--
-- Every table here is append-only, like the membership log: triggers refuse update, delete and
-- truncate whoever asks, so the record of an incident cannot be tidied afterwards. Only the
-- service role writes them (the `pd incident` command and the portal's own jobs); people read.
-- Practices are referenced by id without a foreign key (the security event log apart, below), so
-- the record outlives the practice it describes.

-- ---------------------------------------------------------------------------------------------
-- Tables
-- ---------------------------------------------------------------------------------------------

-- What happened, security-wise: sign-ins and their failures, second factors, role changes, the
-- gateway's refusals, freezes and revocations. Never a token, code, secret, password or link:
-- lib/security/security-events.ts refuses such keys in `detail`, and `detail` is small.
create table public.security_events (
  id bigint generated always as identity primary key,
  at timestamptz not null default now(),
  kind text not null,
  user_id uuid,
  email text,
  -- Set to null if the practice is ever deleted: the only change the log allows (see below).
  practice_id uuid references public.practices (id) on delete set null,
  detail jsonb not null default '{}',
  constraint security_events_kind_format check (kind ~ '^[a-z][a-z_]*(\.[a-z][a-z_]*)*$' and length(kind) <= 64),
  constraint security_events_email_length check (email is null or length(email) <= 320),
  constraint security_events_detail_is_a_small_object check (jsonb_typeof(detail) = 'object' and octet_length(detail::text) <= 2048)
);
create index security_events_by_practice on public.security_events (practice_id, at);
create index security_events_by_time on public.security_events (at);

-- Freezes stop all writes to one practice (or, with a null practice, to every practice) until
-- lifted; the portal and the CMS gateway ask private.is_frozen before each write.
create table public.practice_freezes (
  id bigint generated always as identity primary key,
  at timestamptz not null default now(),
  practice_id uuid,
  action text not null,
  reason text not null,
  actor text not null,
  constraint practice_freezes_action check (action in ('freeze', 'unfreeze')),
  constraint practice_freezes_reason_length check (length(btrim(reason)) between 1 and 1000),
  constraint practice_freezes_actor_length check (length(btrim(actor)) between 1 and 320)
);
create index practice_freezes_by_practice on public.practice_freezes (practice_id, id);

-- A session revocation ends every token issued at or before it for the people it covers: one
-- user, every member of a practice, or everyone.
create table public.session_revocations (
  id bigint generated always as identity primary key,
  at timestamptz not null default now(),
  scope text not null,
  user_id uuid,
  practice_id uuid,
  reason text not null,
  actor text not null,
  constraint session_revocations_scope check (
    (scope = 'user' and user_id is not null and practice_id is null)
    or (scope = 'practice' and practice_id is not null and user_id is null)
    or (scope = 'all' and user_id is null and practice_id is null)),
  constraint session_revocations_reason_length check (length(btrim(reason)) between 1 and 1000),
  constraint session_revocations_actor_length check (length(btrim(actor)) between 1 and 320)
);
create index session_revocations_by_time on public.session_revocations (at);

create table public.incidents (
  id uuid primary key default gen_random_uuid(),
  opened_at timestamptz not null default now(),
  discovered_at timestamptz not null,
  title text not null,
  summary text not null,
  personal_data boolean not null,
  opened_by text not null,
  constraint incidents_title_length check (length(btrim(title)) between 1 and 200),
  constraint incidents_summary_length check (length(btrim(summary)) between 1 and 5000),
  constraint incidents_opened_by_length check (length(btrim(opened_by)) between 1 and 320),
  constraint incidents_discovered_before_opened check (discovered_at <= opened_at)
);

create table public.incident_events (
  id bigint generated always as identity primary key,
  incident_id uuid not null references public.incidents (id),
  at timestamptz not null default now(),
  kind text not null,
  practice_id uuid,
  detail text not null default '',
  actor text not null,
  constraint incident_events_kind check (kind in ('opened', 'practice_added', 'contained', 'practices_notified', 'ico_notified', 'note', 'closed')),
  constraint incident_events_practice_added_names_a_practice check (kind <> 'practice_added' or practice_id is not null),
  constraint incident_events_detail_length check (length(detail) <= 5000),
  constraint incident_events_actor_length check (length(btrim(actor)) between 1 and 320)
);
create index incident_events_by_incident on public.incident_events (incident_id, id);

alter table public.practices add column mfa_required_for_all boolean not null default false;

-- ---------------------------------------------------------------------------------------------
-- Look-ups and rules
-- ---------------------------------------------------------------------------------------------

-- Frozen when the latest global event is a freeze, or the latest event for this practice is.
create function private.is_frozen(practice uuid) returns boolean
  language sql stable security definer set search_path = ''
  as $$
    select coalesce((select f.action = 'freeze' from public.practice_freezes f where f.practice_id is null order by f.id desc limit 1), false)
        or coalesce((select f.action = 'freeze' from public.practice_freezes f where f.practice_id = practice order by f.id desc limit 1), false)
  $$;

-- Whether the caller is an active member of any practice: who may see the global freezes.
create function private.is_member_of_any_practice() returns boolean
  language sql stable security definer set search_path = ''
  as $$
    select exists (
      select 1 from public.members m
      where m.user_id = auth.uid() and m.revoked_at is null and (m.expires_at is null or m.expires_at > pg_catalog.now()))
  $$;

create function private.refuse_incident_record_change() returns trigger
  language plpgsql set search_path = ''
  as $$
  begin
    raise exception '% is append-only: its rows cannot be changed or deleted', tg_table_name using errcode = '42501';
  end
  $$;

-- The one change the security event log allows: the foreign key clearing a deleted practice.
create function private.refuse_security_event_change() returns trigger
  language plpgsql set search_path = ''
  as $$
  begin
    if tg_op = 'UPDATE' and pg_catalog.pg_trigger_depth() > 1 then
      if new.practice_id is null and old.practice_id is not null
         and (new.id, new.at, new.kind, new.user_id, new.email, new.detail)
             is not distinct from (old.id, old.at, old.kind, old.user_id, old.email, old.detail) then
        return new;
      end if;
    end if;
    raise exception 'security_events is append-only: its rows cannot be changed or deleted' using errcode = '42501';
  end
  $$;

create trigger security_events_are_append_only before update or delete on public.security_events
  for each row execute function private.refuse_security_event_change();
create trigger security_events_cannot_be_truncated before truncate on public.security_events
  for each statement execute function private.refuse_incident_record_change();
create trigger practice_freezes_are_append_only before update or delete on public.practice_freezes
  for each row execute function private.refuse_incident_record_change();
create trigger practice_freezes_cannot_be_truncated before truncate on public.practice_freezes
  for each statement execute function private.refuse_incident_record_change();
create trigger session_revocations_are_append_only before update or delete on public.session_revocations
  for each row execute function private.refuse_incident_record_change();
create trigger session_revocations_cannot_be_truncated before truncate on public.session_revocations
  for each statement execute function private.refuse_incident_record_change();
create trigger incidents_are_append_only before update or delete on public.incidents
  for each row execute function private.refuse_incident_record_change();
create trigger incidents_cannot_be_truncated before truncate on public.incidents
  for each statement execute function private.refuse_incident_record_change();
create trigger incident_events_are_append_only before update or delete on public.incident_events
  for each row execute function private.refuse_incident_record_change();
create trigger incident_events_cannot_be_truncated before truncate on public.incident_events
  for each statement execute function private.refuse_incident_record_change();

-- A closed incident takes no more events, and each incident is opened once.
create function private.guard_incident_event() returns trigger
  language plpgsql set search_path = ''
  as $$
  begin
    if exists (select 1 from public.incident_events e where e.incident_id = new.incident_id and e.kind = 'closed') then
      raise exception 'incident % is closed: open a new incident for anything further', new.incident_id using errcode = '55000';
    end if;
    if new.kind = 'opened' and exists (select 1 from public.incident_events e where e.incident_id = new.incident_id and e.kind = 'opened') then
      raise exception 'incident % is already open', new.incident_id using errcode = '55000';
    end if;
    return new;
  end
  $$;

create trigger guard_incident_event before insert on public.incident_events
  for each row execute function private.guard_incident_event();

revoke all on all functions in schema private from public;
grant execute on function private.is_member_of_any_practice() to authenticated;
-- The portal and the gateway ask, as the service role, whether a practice is frozen.
grant usage on schema private to service_role;
grant execute on function private.is_frozen(uuid) to service_role;

-- ---------------------------------------------------------------------------------------------
-- Privileges
-- ---------------------------------------------------------------------------------------------

revoke all on table
  public.security_events, public.practice_freezes, public.session_revocations, public.incidents, public.incident_events
  from public, anon, authenticated, service_role;

grant select on table
  public.security_events, public.practice_freezes, public.session_revocations, public.incidents, public.incident_events
  to authenticated;
-- Append-only: the service role inserts and reads, and nothing else.
grant select, insert on table
  public.security_events, public.practice_freezes, public.session_revocations, public.incidents, public.incident_events
  to service_role;

-- Whether every member must use a second factor is the platform's decision: the column is left
-- out of what `authenticated` may insert or update (column grants from the retention migration),
-- so only the service role sets it directly, and platform admins through the update grant below,
-- which the practices policies limit to them.
grant update (mfa_required_for_all) on table public.practices to authenticated;

-- ---------------------------------------------------------------------------------------------
-- Row-level security
-- ---------------------------------------------------------------------------------------------

alter table public.security_events enable row level security;
alter table public.practice_freezes enable row level security;
alter table public.session_revocations enable row level security;
alter table public.incidents enable row level security;
alter table public.incident_events enable row level security;

-- security_events (written only by the service role, never changed)
create policy "practice managers and auditors can see their practice's security events" on public.security_events
  for select to authenticated using (private.has_role(practice_id, '{practice_manager,auditor}'));
create policy "platform admins can see every security event" on public.security_events
  for select to authenticated using ((select private.is_platform_admin()));

-- practice_freezes (written only by the service role, never changed)
create policy "members can see their own practice's freezes" on public.practice_freezes
  for select to authenticated using (practice_id is not null and private.is_member(practice_id));
create policy "members of any practice can see the freezes of every practice at once" on public.practice_freezes
  for select to authenticated using (practice_id is null and (select private.is_member_of_any_practice()));
create policy "platform admins can see every freeze" on public.practice_freezes
  for select to authenticated using ((select private.is_platform_admin()));

-- session_revocations, incidents, incident_events (written only by the service role, never changed)
create policy "only platform admins can see session revocations" on public.session_revocations
  for select to authenticated using ((select private.is_platform_admin()));
create policy "only platform admins can see incidents" on public.incidents
  for select to authenticated using ((select private.is_platform_admin()));
create policy "only platform admins can see incident timelines" on public.incident_events
  for select to authenticated using ((select private.is_platform_admin()));
