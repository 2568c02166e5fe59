-- Loads a campaign of the think-tank questionnaire with :n responses x its 13 Likert items (the
-- free-text ones left blank), spread over
-- the six respondent roles, for timing the results route. Run with the service's search_path:
--   psql -v n=100000 -f load_campaign.sql  -> prints the campaign id
\set ON_ERROR_STOP on
INSERT INTO campaigns (questionnaire_id, title, scope_type, opens_at, closes_at)
SELECT id, 'Benchmark campaign', 'hub', now() - interval '1 day', now() + interval '30 days'
  FROM questionnaires WHERE code = 'THINK-TANK-PERS'
RETURNING id AS campaign_id \gset
INSERT INTO respondents (campaign_id, subject, role)
SELECT :'campaign_id', 'bench:' || g,
       (ARRAY['policy_maker', 'professional', 'third_sector', 'person_receiving_care',
              'family_caregiver', 'researcher'])[1 + g % 6]
  FROM generate_series(1, :n) g;
INSERT INTO responses (campaign_id, respondent_id, role)
SELECT campaign_id, id, role FROM respondents WHERE campaign_id = :'campaign_id';
-- Answers skewed towards agreement, different per item.
INSERT INTO answers (response_id, item_id, campaign_id, role, value)
SELECT r.id, i.id, r.campaign_id, r.role,
       least(5, 1 + (abs(hashtext(r.id::text || i.code)) % 5 + i.position % 3) / 2 + 1)
  FROM responses r JOIN campaigns c ON c.id = r.campaign_id, campaign_items(c) i
 WHERE r.campaign_id = :'campaign_id' AND i.kind = 'likert';
ANALYZE answers;
ANALYZE answer_counts;
SELECT :'campaign_id' AS campaign_id;
