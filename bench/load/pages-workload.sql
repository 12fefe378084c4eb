-- A county's caseload for bench/run-pages.sh, added once to a generated data set (fictional,
-- deterministic: setseed). Two years of child-concern reports to the early-help hub (300 awaiting
-- a decision), the cases opened from them with plans and history (about 2,500 open), and
-- early-warning alerts across the schools (the DSL's school with the most). Set-based; a few
-- seconds at county scale. Marked by the reports' text ('Bench caseload ...').
BEGIN;
SELECT setseed(0.18);

CREATE TEMP TABLE bench_orgs AS
SELECT
  (SELECT "OrganisationId" FROM "AspNetUsers" WHERE "NormalizedEmail" = 'HUB@NENSHIRE.DEMO') AS hub_org,
  (SELECT "Id" FROM "AspNetUsers" WHERE "NormalizedEmail" = 'HUB@NENSHIRE.DEMO') AS hub_user,
  (SELECT "OrganisationId" FROM "AspNetUsers" WHERE "NormalizedEmail" = 'DSL@BRACKTON-ACADEMY.DEMO') AS school_org,
  (SELECT "Id" FROM "AspNetUsers" WHERE "NormalizedEmail" = 'DSL@BRACKTON-ACADEMY.DEMO') AS dsl_user,
  (SELECT "OrganisationId" FROM "AspNetUsers" WHERE "NormalizedEmail" = 'EI.OFFICER@NENSHIRE-POLICE.DEMO') AS police_org,
  (SELECT "Id" FROM "AspNetUsers" WHERE "NormalizedEmail" = 'EI.OFFICER@NENSHIRE-POLICE.DEMO') AS officer_user,
  (SELECT "OrganisationId" FROM "AspNetUsers" WHERE "NormalizedEmail" = 'YOUTH.WORKER@NENSHIRE-YOUTH.DEMO') AS youth_org,
  (SELECT "Id" FROM "AspNetUsers" WHERE "NormalizedEmail" = 'YOUTH.WORKER@NENSHIRE-YOUTH.DEMO') AS youth_user;

-- Young people on a roll now, with their school; the DSL's school's pupils four times as likely to be reported.
CREATE TEMP TABLE bench_pupils AS
SELECT DISTINCT ON (p."Id") p."Id" AS person_id, p."AreaId" AS area_id, e."SchoolId" AS school_id, random() AS r
FROM "People" p JOIN "Enrolments" e ON e."PersonId" = p."Id" AND (e."EndDate" IS NULL OR e."EndDate" >= current_date)
WHERE p."Kind" = 'YoungPerson'
ORDER BY p."Id", e."StartDate" DESC;

-- 24,000 reports over two years: the last 300 await a decision, a third of the rest opened a case.
CREATE TEMP TABLE bench_referrals AS
SELECT gen_random_uuid() AS id, x.person_id, x.area_id, x.school_id, x.n,
  now() - (CASE WHEN x.n <= 300 THEN x.n * interval '12 minutes' ELSE (x.n / 33.0) * interval '1 day' END) AS reported_at
FROM (
  SELECT b.person_id, b.area_id, b.school_id, (row_number() OVER (ORDER BY random()))::int AS n
  FROM bench_pupils b
  WHERE b.r < CASE WHEN b.school_id = (SELECT school_org FROM bench_orgs) THEN 0.8 ELSE 0.2 END
) x
WHERE x.n <= 24000;

INSERT INTO "Referrals" ("Id", "PersonId", "ReporterUserId", "ReporterOrganisationId", "AreaId", "Categories", "WhatIsKnown", "ImmediateRisk",
  "LawfulBasis", "ReportedAt", "DecisionDueBy", "Status", "Outcome", "Rationale", "DecidedByUserId", "DecidedAt", "CaseId")
SELECT r.id, r.person_id,
  CASE WHEN r.n % 2 = 0 THEN o.officer_user ELSE o.dsl_user END,
  CASE WHEN r.n % 2 = 0 THEN o.police_org ELSE o.school_org END,
  r.area_id,
  (ARRAY['RiskOfExclusion', 'GangInvolvementOrExploitation,MissingEpisodes', 'DomesticAbuseAtHome', 'MentalHealth,RiskOfExclusion', 'Neglect', 'Other'])[1 + r.n % 6],
  'Bench caseload: concern ' || r.n || ', reported by the school or the police.',
  r.n % 17 = 0, 'PublicTask', r.reported_at, r.reported_at + interval '1 day',
  CASE WHEN r.n <= 300 THEN 'AwaitingTriage' ELSE 'Decided' END,
  CASE WHEN r.n <= 300 THEN NULL WHEN r.n % 3 = 0 THEN 'EarlyHelp' WHEN r.n % 3 = 1 THEN 'AdviceOrSignposting' ELSE 'NoFurtherAction' END,
  CASE WHEN r.n <= 300 THEN NULL ELSE 'Bench caseload decision.' END,
  CASE WHEN r.n <= 300 THEN NULL ELSE o.hub_user END,
  CASE WHEN r.n <= 300 THEN NULL ELSE r.reported_at + interval '20 hours' END,
  NULL
FROM bench_referrals r CROSS JOIN bench_orgs o;

-- Cases: every early-help decision; open when decided in the last ten months (about 2,400).
CREATE TEMP TABLE bench_cases AS
SELECT gen_random_uuid() AS id, r.id AS referral_id, r.person_id, r.school_id, r.n, r.reported_at + interval '20 hours' AS opened_at,
  r.reported_at > now() - interval '300 days' AS open,
  CASE WHEN r.school_id = o.school_org AND r.n % 2 = 0 THEN o.school_org WHEN r.n % 5 < 3 THEN o.hub_org ELSE o.youth_org END AS lead_org
FROM bench_referrals r CROSS JOIN bench_orgs o
WHERE r.n > 300 AND r.n % 3 = 0;

INSERT INTO "Cases" ("Id", "PersonId", "LeadOrganisationId", "LeadPractitionerId", "Level", "Status", "ReferralId", "OpenedAt", "OpenedByUserId",
  "ClosedAt", "ClosureReason", "NextReviewOn", "SteppedUpToOrganisationId")
SELECT c.id, c.person_id, c.lead_org,
  CASE WHEN c.lead_org = o.hub_org AND c.n % 4 = 0 THEN o.hub_user WHEN c.lead_org = o.youth_org THEN o.youth_user WHEN c.lead_org = o.school_org THEN o.dsl_user END,
  'EarlyHelp', CASE WHEN c.open THEN 'Open' ELSE 'Closed' END, c.referral_id, c.opened_at, o.hub_user,
  CASE WHEN c.open THEN NULL ELSE c.opened_at + interval '200 days' END,
  CASE WHEN c.open THEN NULL ELSE 'OutcomesMet' END,
  CASE WHEN c.open THEN (current_date + (c.n % 40) - 10) END,
  NULL
FROM bench_cases c CROSS JOIN bench_orgs o;

UPDATE "Referrals" r SET "CaseId" = c.id FROM bench_cases c WHERE r."Id" = c.referral_id;

-- The lead's place on the child through the case, and the school in the team where it does not lead.
INSERT INTO "Involvements" ("Id", "PersonId", "OrganisationId", "Source", "SourceId", "Reason", "StartDate", "EndDate", "ReviewOn", "AddedByUserId", "AddedAt")
SELECT gen_random_uuid(), c.person_id, c.lead_org, 'TeamAroundFamily', c.id, 'Leads the child''s case', c.opened_at::date,
  CASE WHEN c.open THEN NULL ELSE (c.opened_at + interval '290 days')::date END,
  CASE WHEN c.open THEN current_date + 60 END, o.hub_user, c.opened_at
FROM bench_cases c CROSS JOIN bench_orgs o;
INSERT INTO "Involvements" ("Id", "PersonId", "OrganisationId", "Source", "SourceId", "Reason", "StartDate", "EndDate", "ReviewOn", "AddedByUserId", "AddedAt")
SELECT gen_random_uuid(), c.person_id, c.school_id, 'TeamAroundFamily', c.id, 'In the team around the family', c.opened_at::date,
  CASE WHEN c.open THEN NULL ELSE (c.opened_at + interval '290 days')::date END,
  CASE WHEN c.open THEN current_date + 60 END, o.hub_user, c.opened_at
FROM bench_cases c CROSS JOIN bench_orgs o WHERE c.lead_org <> c.school_id;

-- Each case's plan and history: 2 goals, 4 actions (lead, hub, school, lead; open ones on open cases),
-- 8 notes (lead and school), 6 history lines, 2 reviews.
INSERT INTO "CaseGoals" ("Id", "CaseId", "Text", "Status", "CreatedAt", "UpdatedAt")
SELECT gen_random_uuid(), c.id, 'Bench goal ' || g, CASE WHEN c.open THEN 'Working' ELSE 'Achieved' END, c.opened_at + g * interval '1 day', NULL
FROM bench_cases c CROSS JOIN generate_series(1, 2) g;
INSERT INTO "CaseActions" ("Id", "CaseId", "Description", "OwnerOrganisationId", "DueOn", "Status", "CreatedAt", "DoneAt", "GoalId")
SELECT gen_random_uuid(), c.id, 'Bench action ' || a,
  CASE a WHEN 2 THEN o.hub_org WHEN 3 THEN c.school_id ELSE c.lead_org END,
  (c.opened_at::date + 14 * a + (c.n % 30)),
  CASE WHEN c.open AND a > 1 THEN 'Open' ELSE 'Done' END, c.opened_at,
  CASE WHEN c.open AND a > 1 THEN NULL ELSE c.opened_at + interval '10 days' END, NULL
FROM bench_cases c CROSS JOIN bench_orgs o CROSS JOIN generate_series(1, 4) a;
INSERT INTO "CaseNotes" ("Id", "CaseId", "PersonId", "OwnerOrganisationId", "AuthorUserId", "CategoryCode", "LawfulBasis", "Text", "At")
SELECT gen_random_uuid(), c.id, c.person_id,
  CASE WHEN k % 2 = 0 THEN c.school_id ELSE c.lead_org END,
  CASE WHEN k % 2 = 0 THEN o.dsl_user ELSE o.hub_user END,
  CASE WHEN k % 2 = 0 THEN 'education' ELSE 'case-work' END, 'PublicTask',
  'Bench note ' || k || ': a visit, a call or a meeting about the plan, as a practitioner would write it after the fact.',
  c.opened_at + k * interval '3 days'
FROM bench_cases c CROSS JOIN bench_orgs o CROSS JOIN generate_series(1, 8) k;
INSERT INTO "CaseEvents" ("Id", "CaseId", "Text", "ByUserId", "At")
SELECT gen_random_uuid(), c.id, 'Bench history line ' || k, o.hub_user, c.opened_at + k * interval '2 days'
FROM bench_cases c CROSS JOIN bench_orgs o CROSS JOIN generate_series(1, 6) k;
INSERT INTO "CaseReviews" ("Id", "CaseId", "HeldOn", "Summary", "NextReviewOn", "ByUserId", "RecordedAt")
SELECT gen_random_uuid(), c.id, c.opened_at::date + 30 * k, 'Bench review ' || k, c.opened_at::date + 30 * k + 30, o.hub_user, c.opened_at + k * interval '30 days'
FROM bench_cases c CROSS JOIN bench_orgs o CROSS JOIN generate_series(1, 2) k;

-- Early-warning alerts: 10% of pupils across the county, 60% at the DSL's school (two each there); a
-- quarter still open, and a tenth of the DSL's school's open ones given to the DSL.
INSERT INTO "Alerts" ("Id", "PersonId", "SchoolId", "Rule", "ThresholdValue", "TriggeredOn", "TriggerKey", "Figures", "RaisedAt", "Status", "AssignedToUserId", "ClosedAt")
SELECT gen_random_uuid(), b.person_id, b.school_id,
  (ARRAY['RepeatedSuspensions', 'SuspensionDaysInTerm', 'PersistentAbsence', 'AttendanceFall'])[1 + (k + (b.r * 1000)::int) % 4],
  2, current_date - ((b.r * 100000)::int % 300) - k * 20, 'bench-' || b.person_id || '-' || k,
  'Bench figures', now() - (((b.r * 100000)::int % 300) + k * 20) * interval '1 day',
  CASE WHEN (b.r * 1000)::int % 4 = 0 THEN 'New' WHEN (b.r * 1000)::int % 4 = 1 THEN 'Acknowledged' ELSE 'Closed' END,
  CASE WHEN b.school_id = o.school_org AND (b.r * 1000)::int % 4 < 2 AND (b.r * 10000)::int % 10 = 0 THEN o.dsl_user END,
  CASE WHEN (b.r * 1000)::int % 4 >= 2 THEN now() - interval '1 day' END
FROM bench_pupils b CROSS JOIN bench_orgs o CROSS JOIN generate_series(1, 2) k
WHERE (b.school_id = o.school_org AND b.r < 0.6) OR (b.school_id <> o.school_org AND b.r < 0.1 AND k = 1);

SELECT (SELECT count(*) FROM "Referrals") AS referrals, (SELECT count(*) FROM "Cases" WHERE "Status" = 'Open') AS open_cases,
  (SELECT count(*) FROM "CaseActions") AS actions, (SELECT count(*) FROM "Alerts") AS alerts;
COMMIT;
