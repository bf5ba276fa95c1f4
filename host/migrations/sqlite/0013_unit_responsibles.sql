-- The persons each unit names for credit work (issue: procedures, point 9;
-- the plan's 工作体系建设): a responsible leader and a liaison, each from a
-- day until the next one named; history kept.
CREATE TABLE unit_responsibles (
    unit TEXT NOT NULL,
    role TEXT NOT NULL,                -- leader | liaison
    name TEXT NOT NULL,
    from_date TEXT NOT NULL,           -- YYYY-MM-DD
    set_by TEXT NOT NULL,
    set_at TEXT NOT NULL,
    PRIMARY KEY (unit, role, from_date)
);
