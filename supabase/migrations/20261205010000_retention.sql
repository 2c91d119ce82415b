-- Retention of a practice's data after its contract ends: kept for the contract plus six years,
-- then flagged for deletion. The clock is started by the database webhook when a practice's
-- `contract_end` is set (lib/webhooks/db-app.ts), and a job flags the practices past it
-- (lib/webhooks/retention.ts). Both columns are written only by the service role; members still
-- see their own practice's values, and platform admins every practice's, as before.

alter table public.practices
  add column retain_until date,
  add column flagged_for_deletion_at timestamptz,
  add constraint practices_flagged_after_retention check (flagged_for_deletion_at is null or retain_until is not null);

-- `authenticated` had insert and update on the whole table; narrow both to the columns it had
-- before, so the new ones are the service role's alone (the policies themselves are unchanged).
revoke insert, update on table public.practices from authenticated;
grant insert (id, slug, ods_code, name, nation, contract_start, contract_end, status, created_at) on table public.practices to authenticated;
grant update (id, slug, ods_code, name, nation, contract_start, contract_end, status, created_at) on table public.practices to authenticated;

-- The job's look-up: practices past their retention date and not yet flagged.
create index practices_due_for_deletion on public.practices (retain_until) where flagged_for_deletion_at is null;
