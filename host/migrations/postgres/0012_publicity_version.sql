-- The publicity version of 违法事实 (issue: access, point 3): the facts are
-- public only in the version the credit office edits during review. Records
-- already published were published with their facts as reported.
ALTER TABLE credit_records ADD COLUMN violation_facts_public TEXT;
UPDATE credit_records SET violation_facts_public = (body::json ->> 'violation_facts')
    WHERE review_status = 'published';
