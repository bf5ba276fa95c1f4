-- Trade secrets (issue: access, point 3): fields of a record's body the
-- credit office marks as trade secrets when it publishes the record; they
-- never leave the bureau.
ALTER TABLE credit_records ADD COLUMN withheld_fields TEXT NOT NULL DEFAULT '[]';
