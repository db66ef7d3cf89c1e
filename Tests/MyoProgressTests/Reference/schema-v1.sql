-- A progress database as MyoShell's schema v1 wrote it (the first released schema), with one
-- subject, session, kept result, measure and two outcomes. Made by 'db open', 'subject add' and
-- 'outcome' of schema v1 plus one kept row, dumped by Python's sqlite3 iterdump. Never edit it:
-- it is what a user's file of that version holds (ProgressStoreTests.aPreviousSchemaMigrates).
BEGIN TRANSACTION;
CREATE TABLE grdb_migrations (identifier TEXT NOT NULL PRIMARY KEY);
INSERT INTO "grdb_migrations" VALUES('v1');
CREATE TABLE measure (
    result_id INTEGER NOT NULL REFERENCES result(id) ON DELETE RESTRICT,
    name TEXT NOT NULL,
    col TEXT NOT NULL,
    row TEXT NOT NULL,
    unit TEXT NOT NULL,
    better TEXT NOT NULL,
    value REAL NOT NULL,
    rows INTEGER NOT NULL,
    PRIMARY KEY (result_id, name));
INSERT INTO "measure" VALUES(1,'endurance','endurance','','s','higher',52.5,1);
CREATE TABLE outcome (
    session_id INTEGER NOT NULL REFERENCES session(id) ON DELETE RESTRICT,
    name TEXT NOT NULL,
    value REAL NOT NULL,
    unit TEXT NOT NULL,
    PRIMARY KEY (session_id, name));
INSERT INTO "outcome" VALUES(1,'pain',6.0,'');
INSERT INTO "outcome" VALUES(1,'odi',40.0,'%');
CREATE TABLE result (
    id INTEGER PRIMARY KEY,
    session_id INTEGER NOT NULL REFERENCES session(id) ON DELETE RESTRICT,
    table_name TEXT NOT NULL,
    command TEXT NOT NULL,
    origin TEXT NOT NULL,
    source_path TEXT,
    source_sha256 TEXT,
    provenance TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    UNIQUE (session_id, fingerprint));
INSERT INTO "result" VALUES(1,1,'sor1','sorensen','myoshell.fatigue 0.1.0','/data/s01.csv','ab12','source: /data/s01.csv','f1');
CREATE TABLE session (
    id INTEGER PRIMARY KEY,
    subject_id TEXT NOT NULL REFERENCES subject(id) ON DELETE RESTRICT,
    date TEXT NOT NULL,
    baseline INTEGER NOT NULL DEFAULT 0,
    UNIQUE (subject_id, date));
INSERT INTO "session" VALUES(1,'P01','2026-10-05',0);
CREATE TABLE subject (
    id TEXT PRIMARY KEY NOT NULL,
    grp TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT '');
INSERT INTO "subject" VALUES('P01','LBP','');
CREATE INDEX measure_by_name ON measure(name);
COMMIT;
