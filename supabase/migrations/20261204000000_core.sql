-- The core data: practices, who may work on them and in which role, invitations, billing,
-- processed webhook events, data requests, and the append-only membership log.
--
-- Row-level security is on for every table and every policy is named as the sentence it
-- enforces. The membership and role look-ups the policies need are security definer functions in
-- the `private` schema (not exposed through the API), so no policy queries its own table.
-- Privileges are granted explicitly: `authenticated` gets only what a policy can allow, `anon`
-- gets nothing, and `service_role` (which bypasses RLS) is used by webhooks and jobs.
--
-- User ids are the `sub` of the caller's JWT. There are deliberately no foreign keys to
-- auth.users: Supabase's auth schema is not ours to depend on.

create schema if not exists private;
revoke all on schema private from public;
grant usage on schema private to authenticated;
alter default privileges in schema private revoke execute on functions from public;

-- Roles, highest first. A role's rank is what it may grant up to (see private.role_rank).
create type public.member_role as enum ('practice_manager', 'urgent_publisher', 'clinical_reviewer', 'editor', 'auditor');

-- ---------------------------------------------------------------------------------------------
-- Tables
-- ---------------------------------------------------------------------------------------------

create table public.practices (
  id uuid primary key default gen_random_uuid(),
  slug text not null,
  ods_code text not null,
  name text not null,
  nation text not null,
  contract_start date not null,
  contract_end date,
  status text not null default 'onboarding',
  created_at timestamptz not null default now(),
  constraint practices_slug_unique unique (slug),
  constraint practices_slug_format check (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$' and length(slug) <= 63),
  constraint practices_ods_code_unique unique (ods_code),
  constraint practices_ods_code_format check (ods_code ~ '^([A-Z][0-9]{5}|[0-9]{5})$'),
  constraint practices_name_length check (length(btrim(name)) between 1 and 200),
  constraint practices_nation check (nation in ('england', 'wales', 'scotland')),
  constraint practices_contract_dates check (contract_end is null or contract_end >= contract_start),
  constraint practices_status check (status in ('onboarding', 'active', 'ended'))
);

create table public.members (
  id uuid primary key default gen_random_uuid(),
  practice_id uuid not null references public.practices (id) on delete cascade,
  user_id uuid not null,
  email text not null,
  name text not null default '',
  role public.member_role not null,
  expires_at timestamptz,
  -- Who granted the current role and expiry, and when; reset by a trigger whenever either changes.
  granted_by uuid default auth.uid(),
  granted_at timestamptz not null default now(),
  revoked_at timestamptz,
  revoked_by uuid,
  constraint members_email_format check (email ~ '^[^\s@<>()]+@[^\s@<>()]+\.[A-Za-z]{2,}$' and length(email) <= 320),
  constraint members_name_length check (length(name) <= 200),
  constraint members_expires_after_grant check (expires_at is null or expires_at > granted_at),
  constraint members_urgent_publisher_expires_within_72_hours
    check (role <> 'urgent_publisher' or (expires_at is not null and expires_at <= granted_at + interval '72 hours')),
  constraint members_revoked_after_grant check (revoked_at is null or revoked_at >= granted_at)
);
-- At most one active (unrevoked) membership per user per practice. An expired one still counts:
-- revoke it, or renew its expiry, rather than granting a second.
create unique index members_one_active_per_user_and_practice on public.members (practice_id, user_id) where revoked_at is null;
create index members_by_user on public.members (user_id) where revoked_at is null;

create table public.platform_admins (
  user_id uuid primary key,
  email text not null,
  added_at timestamptz not null default now(),
  constraint platform_admins_email_format check (email ~ '^[^\s@<>()]+@[^\s@<>()]+\.[A-Za-z]{2,}$' and length(email) <= 320)
);

create table public.invitations (
  id uuid primary key default gen_random_uuid(),
  practice_id uuid not null references public.practices (id) on delete cascade,
  email text not null,
  name text not null default '',
  role public.member_role not null,
  -- The expiry the membership will have once accepted (required for urgent publishers).
  member_expires_at timestamptz,
  invited_by uuid default auth.uid(),
  -- Lower-case hex SHA-256 of the token sent in the invitation email; the token itself is never stored.
  token_hash text not null,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null default now() + interval '7 days',
  accepted_at timestamptz,
  accepted_by uuid,
  revoked_at timestamptz,
  revoked_by uuid,
  constraint invitations_token_hash_unique unique (token_hash),
  constraint invitations_token_hash_format check (token_hash ~ '^[0-9a-f]{64}$'),
  constraint invitations_email_format check (email ~ '^[^\s@<>()]+@[^\s@<>()]+\.[A-Za-z]{2,}$' and length(email) <= 320),
  constraint invitations_name_length check (length(name) <= 200),
  constraint invitations_expire_within_30_days check (expires_at > created_at and expires_at <= created_at + interval '30 days'),
  constraint invitations_member_expires_after_creation check (member_expires_at is null or member_expires_at > created_at),
  constraint invitations_urgent_publisher_expires_within_72_hours
    check (role <> 'urgent_publisher' or (member_expires_at is not null and member_expires_at <= created_at + interval '72 hours')),
  constraint invitations_accepted_or_revoked check (accepted_at is null or revoked_at is null),
  constraint invitations_accepted_by_whom check ((accepted_at is null) = (accepted_by is null))
);
create index invitations_by_practice on public.invitations (practice_id);

-- One row per practice: its GoCardless customer, mandate, subscription and latest payment.
-- Statuses are GoCardless's own words (lower-case, underscores), kept as text so a new one
-- GoCardless adds does not break the webhook.
create table public.billing (
  practice_id uuid primary key references public.practices (id) on delete cascade,
  gocardless_customer_id text,
  mandate_id text,
  mandate_status text,
  subscription_id text,
  subscription_status text,
  last_payment_id text,
  last_payment_status text,
  updated_at timestamptz not null default now(),
  constraint billing_customer_unique unique (gocardless_customer_id),
  constraint billing_customer_id_format check (gocardless_customer_id ~ '^CU[0-9A-Z]+$'),
  constraint billing_mandate_id_format check (mandate_id ~ '^MD[0-9A-Z]+$'),
  constraint billing_subscription_id_format check (subscription_id ~ '^SB[0-9A-Z]+$'),
  constraint billing_payment_id_format check (last_payment_id ~ '^PM[0-9A-Z]+$'),
  constraint billing_status_format check (
    coalesce(mandate_status, 'x') ~ '^[a-z_]+$' and coalesce(subscription_status, 'x') ~ '^[a-z_]+$'
    and coalesce(last_payment_status, 'x') ~ '^[a-z_]+$'),
  constraint billing_status_has_id check (
    (mandate_status is null or mandate_id is not null) and (subscription_status is null or subscription_id is not null)
    and (last_payment_status is null or last_payment_id is not null))
);

-- Webhook events already handled, so a redelivered event is recognised and ignored.
create table public.processed_webhook_events (
  id bigint generated always as identity primary key,
  source text not null,
  event_id text not null,
  event_type text,
  processed_at timestamptz not null default now(),
  constraint processed_webhook_events_once unique (source, event_id),
  constraint processed_webhook_events_source_format check (source ~ '^[a-z][a-z0-9_-]*$'),
  constraint processed_webhook_events_event_id_length check (length(event_id) between 1 and 200)
);

-- A practice manager's request for an export of the practice's data, or its deletion; carried
-- out by a job running as the service role.
create table public.data_requests (
  id uuid primary key default gen_random_uuid(),
  practice_id uuid not null references public.practices (id) on delete cascade,
  kind text not null,
  requested_by uuid default auth.uid(),
  requested_at timestamptz not null default now(),
  status text not null default 'pending',
  completed_at timestamptz,
  constraint data_requests_kind check (kind in ('export', 'deletion')),
  constraint data_requests_status check (status in ('pending', 'in_progress', 'completed', 'failed', 'cancelled')),
  constraint data_requests_completed_when_finished check (completed_at is null or status in ('completed', 'failed', 'cancelled'))
);
-- At most one open request of each kind per practice.
create unique index data_requests_one_open_per_kind on public.data_requests (practice_id, kind) where status in ('pending', 'in_progress');

-- Every grant, change and revocation of a membership, and every invitation, written by triggers.
-- Append-only: a trigger refuses every update, delete and truncate, whoever asks. No foreign key
-- to practices, so the record outlives what it describes.
create table public.membership_log (
  id bigint generated always as identity primary key,
  at timestamptz not null default now(),
  practice_id uuid not null,
  action text not null,
  member_id uuid,
  invitation_id uuid,
  -- Whose membership (the invitee's email for an invitation not yet accepted).
  user_id uuid,
  email text,
  role_before public.member_role,
  role_after public.member_role,
  expires_at_before timestamptz,
  expires_at_after timestamptz,
  -- auth.uid() of who did it: null when the service role or the database owner did.
  actor uuid,
  -- The JWT role of who did it ('authenticated', 'service_role'); null for the database owner.
  actor_role text,
  constraint membership_log_action check (action in (
    'granted', 'changed', 'revoked', 'deleted',
    'invited', 'invitation_accepted', 'invitation_revoked', 'invitation_changed', 'invitation_deleted'))
);
create index membership_log_by_practice on public.membership_log (practice_id, id);

-- ---------------------------------------------------------------------------------------------
-- Look-ups for the policies: security definer, so they read members and platform_admins without
-- going through those tables' own policies.
-- ---------------------------------------------------------------------------------------------

-- practice_manager 5, urgent_publisher 4, clinical_reviewer 3, editor 2, auditor 1.
create function private.role_rank(r public.member_role) returns integer
  language sql immutable set search_path = ''
  as $$
    select case r
      when 'practice_manager' then 5
      when 'urgent_publisher' then 4
      when 'clinical_reviewer' then 3
      when 'editor' then 2
      when 'auditor' then 1
    end
  $$;

-- The role a user holds in a practice now: unrevoked and unexpired, else null.
create function private.role_of(target_practice uuid, target_user uuid) returns public.member_role
  language sql stable security definer set search_path = ''
  as $$
    select m.role from public.members m
    where m.practice_id = target_practice and m.user_id = target_user
      and m.revoked_at is null and (m.expires_at is null or m.expires_at > pg_catalog.now())
  $$;

create function private.is_platform_admin_user(target_user uuid) returns boolean
  language sql stable security definer set search_path = ''
  as $$ select exists (select 1 from public.platform_admins a where a.user_id = target_user) $$;

-- The caller's role in a practice now, or null.
create function private.role_in(target_practice uuid) returns public.member_role
  language sql stable security definer set search_path = ''
  as $$ select private.role_of(target_practice, auth.uid()) $$;

create function private.is_member(target_practice uuid) returns boolean
  language sql stable security definer set search_path = ''
  as $$ select private.role_in(target_practice) is not null $$;

create function private.has_role(target_practice uuid, roles public.member_role[]) returns boolean
  language sql stable security definer set search_path = ''
  as $$ select coalesce(private.role_in(target_practice) = any (roles), false) $$;

create function private.is_platform_admin() returns boolean
  language sql stable security definer set search_path = ''
  as $$ select private.is_platform_admin_user(auth.uid()) $$;

-- Whether a user may grant `target_role` in a practice as a practice manager: only managers
-- grant, and never above their own rank.
create function private.user_can_grant(target_practice uuid, target_user uuid, target_role public.member_role) returns boolean
  language sql stable security definer set search_path = ''
  as $$
    select coalesce(
      granter.role = 'practice_manager' and private.role_rank(target_role) <= private.role_rank(granter.role),
      false)
    from (select private.role_of(target_practice, target_user) as role) granter
  $$;

create function private.can_grant(target_practice uuid, target_role public.member_role) returns boolean
  language sql stable security definer set search_path = ''
  as $$ select private.user_can_grant(target_practice, auth.uid(), target_role) $$;


-- ---------------------------------------------------------------------------------------------
-- Triggers
-- ---------------------------------------------------------------------------------------------

-- Keeps memberships honest whoever writes them: nobody grants or changes their own membership,
-- a membership never moves to another practice or person, a revoked one is final, and a change
-- of role or expiry is a fresh grant (so the 72-hour limit counts from it).
create function private.guard_member() returns trigger
  language plpgsql set search_path = ''
  as $$
  begin
    if current_user = 'authenticated' and new.user_id = auth.uid() then
      raise exception 'nobody can grant or change their own membership' using errcode = '42501';
    end if;
    if tg_op = 'UPDATE' then
      if new.practice_id is distinct from old.practice_id or new.user_id is distinct from old.user_id then
        raise exception 'a membership cannot move to another practice or person: revoke it and grant a new one' using errcode = '42501';
      end if;
      if old.revoked_at is not null then
        raise exception 'a revoked membership cannot be changed: grant a new one' using errcode = '55000';
      end if;
      if new.role is distinct from old.role or new.expires_at is distinct from old.expires_at then
        new.granted_at := pg_catalog.now();
        new.granted_by := auth.uid();
      end if;
      if new.revoked_at is not null then
        new.revoked_at := pg_catalog.now();
        new.revoked_by := auth.uid();
      end if;
    end if;
    return new;
  end
  $$;

create trigger guard_member before insert or update on public.members
  for each row execute function private.guard_member();

create function private.log_member() returns trigger
  language plpgsql security definer set search_path = ''
  as $$
  begin
    if tg_op = 'INSERT' then
      insert into public.membership_log (practice_id, action, member_id, user_id, email, role_after, expires_at_after, actor, actor_role)
      values (new.practice_id, 'granted', new.id, new.user_id, new.email, new.role, new.expires_at, auth.uid(), auth.role());
    elsif tg_op = 'UPDATE' then
      insert into public.membership_log
        (practice_id, action, member_id, user_id, email, role_before, role_after, expires_at_before, expires_at_after, actor, actor_role)
      values (new.practice_id,
        case when old.revoked_at is null and new.revoked_at is not null then 'revoked' else 'changed' end,
        new.id, new.user_id, new.email, old.role, new.role, old.expires_at, new.expires_at, auth.uid(), auth.role());
    else
      insert into public.membership_log (practice_id, action, member_id, user_id, email, role_before, expires_at_before, actor, actor_role)
      values (old.practice_id, 'deleted', old.id, old.user_id, old.email, old.role, old.expires_at, auth.uid(), auth.role());
    end if;
    return null;
  end
  $$;

create trigger log_member after insert or update or delete on public.members
  for each row execute function private.log_member();

-- An invitation can only be revoked or accepted once; to change what it offers, revoke it and
-- send another.
create function private.guard_invitation() returns trigger
  language plpgsql set search_path = ''
  as $$
  begin
    if old.accepted_at is not null or old.revoked_at is not null then
      raise exception 'an accepted or revoked invitation cannot be changed' using errcode = '55000';
    end if;
    if (new.practice_id, new.email, new.role, new.member_expires_at, new.invited_by, new.token_hash, new.created_at)
       is distinct from (old.practice_id, old.email, old.role, old.member_expires_at, old.invited_by, old.token_hash, old.created_at) then
      raise exception 'an invitation cannot be changed: revoke it and send another' using errcode = '42501';
    end if;
    if new.revoked_at is not null then
      new.revoked_at := pg_catalog.now();
      new.revoked_by := auth.uid();
    end if;
    return new;
  end
  $$;

create trigger guard_invitation before update on public.invitations
  for each row execute function private.guard_invitation();

create function private.log_invitation() returns trigger
  language plpgsql security definer set search_path = ''
  as $$
  begin
    if tg_op = 'INSERT' then
      insert into public.membership_log (practice_id, action, invitation_id, email, role_after, expires_at_after, actor, actor_role)
      values (new.practice_id, 'invited', new.id, new.email, new.role, new.member_expires_at, auth.uid(), auth.role());
    elsif tg_op = 'UPDATE' then
      insert into public.membership_log (practice_id, action, invitation_id, user_id, email, role_after, expires_at_after, actor, actor_role)
      values (new.practice_id,
        case
          when old.revoked_at is null and new.revoked_at is not null then 'invitation_revoked'
          when old.accepted_at is null and new.accepted_at is not null then 'invitation_accepted'
          else 'invitation_changed'
        end,
        new.id, new.accepted_by, new.email, new.role, new.member_expires_at, auth.uid(), auth.role());
    else
      insert into public.membership_log (practice_id, action, invitation_id, email, role_before, actor, actor_role)
      values (old.practice_id, 'invitation_deleted', old.id, old.email, old.role, auth.uid(), auth.role());
    end if;
    return null;
  end
  $$;

create trigger log_invitation after insert or update or delete on public.invitations
  for each row execute function private.log_invitation();

create function private.refuse_log_change() returns trigger
  language plpgsql set search_path = ''
  as $$
  begin
    raise exception 'the membership log is append-only: its rows cannot be changed or deleted' using errcode = '42501';
  end
  $$;

create trigger membership_log_is_append_only before update or delete on public.membership_log
  for each row execute function private.refuse_log_change();
create trigger membership_log_cannot_be_truncated before truncate on public.membership_log
  for each statement execute function private.refuse_log_change();

revoke all on all functions in schema private from public;
grant execute on function
  private.role_in(uuid), private.is_member(uuid), private.has_role(uuid, public.member_role[]),
  private.is_platform_admin(), private.can_grant(uuid, public.member_role)
  to authenticated;

-- ---------------------------------------------------------------------------------------------
-- Accepting an invitation: the invitee is not yet a member, so no policy could let them add
-- themselves. This checks the token, the email it was sent to and that the inviter may still
-- grant the role, then grants it on the inviter's behalf.
-- ---------------------------------------------------------------------------------------------

create function public.accept_invitation(invitation_token text) returns uuid
  language plpgsql security definer set search_path = ''
  as $$
  declare
    caller uuid := auth.uid();
    inv public.invitations;
    new_member uuid;
  begin
    if caller is null then
      raise exception 'sign in to accept an invitation' using errcode = '42501';
    end if;
    select * into inv from public.invitations i
      where i.token_hash = pg_catalog.encode(pg_catalog.sha256(pg_catalog.convert_to(invitation_token, 'UTF8')), 'hex')
      for update;
    if not found or inv.accepted_at is not null or inv.revoked_at is not null or inv.expires_at <= pg_catalog.now() then
      raise exception 'this invitation is not valid: it may have expired, been revoked or been used already' using errcode = '22023';
    end if;
    if pg_catalog.lower(inv.email) is distinct from pg_catalog.lower(auth.jwt() ->> 'email') then
      raise exception 'this invitation was sent to a different email address' using errcode = '42501';
    end if;
    if inv.invited_by = caller then
      raise exception 'nobody can grant or change their own membership' using errcode = '42501';
    end if;
    if inv.invited_by is not null and not private.is_platform_admin_user(inv.invited_by)
       and not private.user_can_grant(inv.practice_id, inv.invited_by, inv.role) then
      raise exception 'whoever sent this invitation can no longer grant this role' using errcode = '42501';
    end if;
    if inv.member_expires_at is not null and inv.member_expires_at <= pg_catalog.now() then
      raise exception 'the membership this invitation offers has already expired' using errcode = '22023';
    end if;
    begin
      insert into public.members (practice_id, user_id, email, name, role, expires_at, granted_by)
      values (inv.practice_id, caller, inv.email, inv.name, inv.role, inv.member_expires_at, inv.invited_by)
      returning id into new_member;
    exception when unique_violation then
      raise exception 'you are already a member of this practice: ask a practice manager to change your role' using errcode = '23505';
    end;
    update public.invitations set accepted_at = pg_catalog.now(), accepted_by = caller where id = inv.id;
    return new_member;
  end
  $$;

revoke all on function public.accept_invitation(text) from public, anon;
grant execute on function public.accept_invitation(text) to authenticated;

-- ---------------------------------------------------------------------------------------------
-- Privileges: nothing for anon; for authenticated only what a policy below can allow. Supabase
-- grants everything on new tables to anon, authenticated and service_role by default, so each
-- table starts from nothing here.
-- ---------------------------------------------------------------------------------------------

revoke all on table
  public.practices, public.members, public.platform_admins, public.invitations, public.billing,
  public.processed_webhook_events, public.data_requests, public.membership_log
  from public, anon, authenticated, service_role;

grant select, insert, update on table public.practices to authenticated;
grant select, delete on table public.members to authenticated;
grant insert (practice_id, user_id, email, name, role, expires_at) on table public.members to authenticated;
grant update (email, name, role, expires_at, revoked_at) on table public.members to authenticated;
grant select on table public.platform_admins to authenticated;
grant select, delete on table public.invitations to authenticated;
grant insert (practice_id, email, name, role, member_expires_at, token_hash, expires_at) on table public.invitations to authenticated;
grant update (revoked_at) on table public.invitations to authenticated;
grant select on table public.billing to authenticated;
grant select on table public.processed_webhook_events to authenticated;
grant select on table public.data_requests to authenticated;
grant insert (practice_id, kind) on table public.data_requests to authenticated;
grant select on table public.membership_log to authenticated;

grant select, insert, update, delete on table
  public.practices, public.members, public.platform_admins, public.invitations, public.billing,
  public.processed_webhook_events, public.data_requests
  to service_role;
-- The log is written by triggers only; even the service role just reads it.
grant select on table public.membership_log to service_role;
grant usage on sequence public.processed_webhook_events_id_seq to service_role;

-- ---------------------------------------------------------------------------------------------
-- Row-level security
-- ---------------------------------------------------------------------------------------------

alter table public.practices enable row level security;
alter table public.members enable row level security;
alter table public.platform_admins enable row level security;
alter table public.invitations enable row level security;
alter table public.billing enable row level security;
alter table public.processed_webhook_events enable row level security;
alter table public.data_requests enable row level security;
alter table public.membership_log enable row level security;

-- practices
create policy "members can see their own practice" on public.practices
  for select to authenticated using (private.is_member(id));
create policy "platform admins can see every practice" on public.practices
  for select to authenticated using ((select private.is_platform_admin()));
create policy "platform admins can add practices" on public.practices
  for insert to authenticated with check ((select private.is_platform_admin()));
create policy "platform admins can change practices" on public.practices
  for update to authenticated using ((select private.is_platform_admin())) with check ((select private.is_platform_admin()));

-- members
create policy "members can see the memberships of their own practice" on public.members
  for select to authenticated using (private.is_member(practice_id));
create policy "platform admins can see every membership" on public.members
  for select to authenticated using ((select private.is_platform_admin()));
create policy "practice managers can grant other people roles in their practice up to their own rank" on public.members
  for insert to authenticated
  with check (user_id <> (select auth.uid()) and granted_by = (select auth.uid()) and private.can_grant(practice_id, role));
create policy "platform admins can grant other people roles in any practice" on public.members
  for insert to authenticated
  with check ((select private.is_platform_admin()) and user_id <> (select auth.uid()) and granted_by = (select auth.uid()));
create policy "practice managers can change or revoke other people's active memberships in their practice up to their own rank" on public.members
  for update to authenticated
  using (user_id <> (select auth.uid()) and revoked_at is null and private.can_grant(practice_id, role))
  with check (user_id <> (select auth.uid()) and private.can_grant(practice_id, role));
create policy "platform admins can change or revoke other people's active memberships" on public.members
  for update to authenticated
  using ((select private.is_platform_admin()) and user_id <> (select auth.uid()) and revoked_at is null)
  with check ((select private.is_platform_admin()) and user_id <> (select auth.uid()));
create policy "only platform admins can delete memberships" on public.members
  for delete to authenticated using ((select private.is_platform_admin()));

-- platform_admins (written only by the service role)
create policy "platform admins can see who the platform admins are" on public.platform_admins
  for select to authenticated using ((select private.is_platform_admin()));
create policy "people can see whether they are a platform admin" on public.platform_admins
  for select to authenticated using (user_id = (select auth.uid()));

-- invitations
create policy "practice managers can see their practice's invitations" on public.invitations
  for select to authenticated using (private.has_role(practice_id, '{practice_manager}'));
create policy "platform admins can see every invitation" on public.invitations
  for select to authenticated using ((select private.is_platform_admin()));
create policy "practice managers can invite people to their practice up to their own rank" on public.invitations
  for insert to authenticated
  with check (invited_by = (select auth.uid()) and private.can_grant(practice_id, role));
create policy "platform admins can invite people to any practice" on public.invitations
  for insert to authenticated
  with check ((select private.is_platform_admin()) and invited_by = (select auth.uid()));
create policy "practice managers can revoke their practice's pending invitations" on public.invitations
  for update to authenticated
  using (accepted_at is null and revoked_at is null and private.can_grant(practice_id, role))
  with check (private.can_grant(practice_id, role));
create policy "platform admins can revoke pending invitations" on public.invitations
  for update to authenticated
  using ((select private.is_platform_admin()) and accepted_at is null and revoked_at is null)
  with check ((select private.is_platform_admin()));
create policy "only platform admins can delete invitations" on public.invitations
  for delete to authenticated using ((select private.is_platform_admin()));

-- billing (written only by the service role)
create policy "practice managers and auditors can see their practice's billing" on public.billing
  for select to authenticated using (private.has_role(practice_id, '{practice_manager,auditor}'));
create policy "platform admins can see all billing" on public.billing
  for select to authenticated using ((select private.is_platform_admin()));

-- processed_webhook_events (written only by the service role)
create policy "only platform admins can see processed webhook events" on public.processed_webhook_events
  for select to authenticated using ((select private.is_platform_admin()));

-- data_requests (carried out, and updated, only by the service role)
create policy "practice managers and auditors can see their practice's data requests" on public.data_requests
  for select to authenticated using (private.has_role(practice_id, '{practice_manager,auditor}'));
create policy "platform admins can see every data request" on public.data_requests
  for select to authenticated using ((select private.is_platform_admin()));
create policy "practice managers can request an export or deletion of their practice's data" on public.data_requests
  for insert to authenticated
  with check (requested_by = (select auth.uid()) and status = 'pending' and private.has_role(practice_id, '{practice_manager}'));

-- membership_log (written only by triggers, never changed)
create policy "practice managers and auditors can see their practice's membership log" on public.membership_log
  for select to authenticated using (private.has_role(practice_id, '{practice_manager,auditor}'));
create policy "platform admins can see the whole membership log" on public.membership_log
  for select to authenticated using ((select private.is_platform_admin()));
