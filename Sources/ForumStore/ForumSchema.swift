import GRDB

/// The database schema as a list of migrations. A shipped migration is never edited: a change is
/// a new migration appended at the end.
enum ForumSchema {
    static let migrator: DatabaseMigrator = {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1 participants and tokens") { db in
            try db.execute(sql: """
                CREATE TABLE participant (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    last_name TEXT NOT NULL,
                    first_name TEXT NOT NULL,
                    patronymic TEXT,
                    email TEXT NOT NULL UNIQUE,
                    phone TEXT,
                    region_code TEXT NOT NULL,
                    municipality TEXT NOT NULL,
                    organisation TEXT,
                    position TEXT,
                    category TEXT NOT NULL,
                    status TEXT NOT NULL DEFAULT 'registered' CHECK (status IN ('registered', 'cancelled')),
                    external_id TEXT UNIQUE,
                    badge_serial INTEGER NOT NULL DEFAULT 1,
                    feed_token TEXT NOT NULL UNIQUE,
                    last_name_key TEXT NOT NULL,
                    duplicate_key TEXT NOT NULL,
                    created_at DATETIME NOT NULL,
                    updated_at DATETIME NOT NULL
                );
                CREATE INDEX participant_on_last_name_key ON participant(last_name_key);
                CREATE INDEX participant_on_duplicate_key ON participant(duplicate_key);
                CREATE INDEX participant_on_region_code ON participant(region_code);
                CREATE VIRTUAL TABLE participant_search USING fts5(
                    names, contacts, tokenize = 'unicode61 remove_diacritics 0'
                );
                CREATE TABLE api_token (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    name TEXT NOT NULL,
                    role TEXT NOT NULL CHECK (role IN ('admin', 'desk')),
                    token_hash TEXT NOT NULL UNIQUE,
                    created_at DATETIME NOT NULL,
                    revoked_at DATETIME
                );
                """)
        }
        migrator.registerMigration("v2 programme and releases") { db in
            try db.execute(sql: """
                CREATE TABLE edition (
                    id INTEGER PRIMARY KEY CHECK (id = 1),
                    slug TEXT NOT NULL,
                    name TEXT NOT NULL,
                    full_name TEXT NOT NULL,
                    organiser TEXT NOT NULL,
                    venue TEXT NOT NULL,
                    city TEXT NOT NULL,
                    time_zone TEXT NOT NULL,
                    days TEXT NOT NULL
                );
                CREATE TABLE building (
                    slug TEXT PRIMARY KEY,
                    name TEXT NOT NULL,
                    position INTEGER NOT NULL
                );
                CREATE TABLE room (
                    slug TEXT PRIMARY KEY,
                    building_slug TEXT NOT NULL REFERENCES building(slug) ON DELETE CASCADE,
                    name TEXT NOT NULL,
                    capacity INTEGER NOT NULL CHECK (capacity > 0),
                    position INTEGER NOT NULL
                );
                CREATE TABLE walking_time (
                    from_building TEXT NOT NULL,
                    to_building TEXT NOT NULL,
                    minutes INTEGER NOT NULL,
                    PRIMARY KEY (from_building, to_building)
                );
                CREATE TABLE session (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    slug TEXT NOT NULL UNIQUE,
                    kind TEXT NOT NULL,
                    title TEXT NOT NULL,
                    description TEXT NOT NULL,
                    track TEXT,
                    room_slug TEXT NOT NULL,
                    starts_at DATETIME NOT NULL,
                    ends_at DATETIME NOT NULL,
                    capacity INTEGER,
                    status TEXT NOT NULL CHECK (status IN ('scheduled', 'cancelled')),
                    position INTEGER NOT NULL
                );
                CREATE TABLE session_person (
                    session_id INTEGER NOT NULL REFERENCES session(id) ON DELETE CASCADE,
                    position INTEGER NOT NULL,
                    name TEXT NOT NULL,
                    title TEXT,
                    role TEXT NOT NULL CHECK (role IN ('speaker', 'moderator')),
                    placeholder BOOLEAN NOT NULL,
                    email TEXT,
                    PRIMARY KEY (session_id, position)
                );
                CREATE INDEX session_person_on_email ON session_person(email);
                CREATE TABLE programme_release (
                    number INTEGER PRIMARY KEY,
                    note TEXT NOT NULL,
                    published_at DATETIME NOT NULL,
                    programme TEXT NOT NULL,
                    changes TEXT NOT NULL
                );
                CREATE TRIGGER programme_release_is_immutable BEFORE UPDATE ON programme_release
                BEGIN SELECT RAISE(ABORT, 'a published release never changes'); END;
                CREATE TRIGGER programme_release_is_kept BEFORE DELETE ON programme_release
                BEGIN SELECT RAISE(ABORT, 'a published release is never deleted'); END;
                """)
        }
        migrator.registerMigration("v3 enrollments") { db in
            try db.execute(sql: """
                CREATE TABLE enrollment (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    session_id INTEGER NOT NULL REFERENCES session(id),
                    participant_id INTEGER NOT NULL REFERENCES participant(id),
                    state TEXT NOT NULL CHECK (state IN ('seated', 'waitlisted')),
                    created_at DATETIME NOT NULL,
                    UNIQUE (session_id, participant_id)
                );
                CREATE INDEX enrollment_on_participant ON enrollment(participant_id);
                CREATE INDEX enrollment_on_session_state ON enrollment(session_id, state, id);
                """)
        }
        migrator.registerMigration("v4 check-ins") { db in
            try db.execute(sql: """
                CREATE TABLE checkin (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    list_slug TEXT NOT NULL,
                    participant_id INTEGER REFERENCES participant(id),
                    desk TEXT NOT NULL,
                    nonce TEXT NOT NULL UNIQUE,
                    scanned_at DATETIME NOT NULL,
                    recorded_at DATETIME NOT NULL,
                    result TEXT NOT NULL,
                    source TEXT NOT NULL CHECK (source IN ('online', 'offline')),
                    annulled_at DATETIME,
                    annul_reason TEXT,
                    annulled_by INTEGER
                );
                CREATE UNIQUE INDEX checkin_one_standing ON checkin(participant_id, list_slug) WHERE result = 'ok' AND annulled_at IS NULL;
                CREATE INDEX checkin_on_list ON checkin(list_slug, result, annulled_at);
                CREATE INDEX checkin_on_participant ON checkin(participant_id);
                CREATE TABLE checkin_list_setting (
                    slug TEXT PRIMARY KEY,
                    open_until DATETIME,
                    categories TEXT
                );
                """)
        }
        // Every write to a participant takes the next revision number (`ParticipantRecord`'s
        // statements), so that a desk asks for what changed since the revision it holds. The
        // surname index also holds the order lookups list people in, so that the first ten of
        // a prefix are read without sorting every match.
        migrator.registerMigration("v5 participant revisions") { db in
            try db.execute(sql: """
                ALTER TABLE participant ADD COLUMN revision INTEGER NOT NULL DEFAULT 0;
                UPDATE participant SET revision = id;
                CREATE INDEX participant_on_revision ON participant(revision);
                DROP INDEX participant_on_last_name_key;
                CREATE INDEX participant_on_surname_order ON participant(last_name_key, first_name);
                """)
        }
        // The trail names the token behind every scan; the forum gets an identity of its own,
        // made once and signed into every badge, so that a key reused for another forum (another
        // database) does not admit this one's badges.
        migrator.registerMigration("v6 accountable trail and forum identity") { db in
            try db.execute(sql: """
                ALTER TABLE checkin ADD COLUMN token_id INTEGER REFERENCES api_token(id);
                ALTER TABLE checkin ADD COLUMN token_name TEXT;
                ALTER TABLE checkin ADD COLUMN annulled_by_name TEXT;
                ALTER TABLE checkin ADD COLUMN claimed_scanned_at DATETIME;
                CREATE TABLE forum_identity (
                    id INTEGER PRIMARY KEY CHECK (id = 1),
                    edition TEXT NOT NULL
                );
                INSERT INTO forum_identity (id, edition) VALUES (1, lower(hex(randomblob(8))));
                """)
        }
        // A third role, for a Prometheus scraper: SQLite changes a CHECK only by rebuilding the
        // table (foreign keys are off during a migration, and the references are by name).
        migrator.registerMigration("v7 metrics role") { db in
            try db.execute(sql: """
                CREATE TABLE api_token_v7 (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    name TEXT NOT NULL,
                    role TEXT NOT NULL CHECK (role IN ('admin', 'desk', 'metrics')),
                    token_hash TEXT NOT NULL UNIQUE,
                    created_at DATETIME NOT NULL,
                    revoked_at DATETIME
                );
                INSERT INTO api_token_v7 (id, name, role, token_hash, created_at, revoked_at)
                    SELECT id, name, role, token_hash, created_at, revoked_at FROM api_token;
                DROP TABLE api_token;
                ALTER TABLE api_token_v7 RENAME TO api_token;
                """)
        }
        // Read-only links to the dashboard for a screen at the venue; only a hash of the key.
        migrator.registerMigration("v8 kiosk links") { db in
            try db.execute(sql: """
                CREATE TABLE kiosk_link (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    name TEXT NOT NULL,
                    key_hash TEXT NOT NULL UNIQUE,
                    created_at DATETIME NOT NULL,
                    expires_at DATETIME NOT NULL,
                    revoked_at DATETIME
                );
                """)
        }
        // Statistics read these indexes in their order, without the table or a sort: people by
        // category and region (9 → 3 ms for 7,500), scans by desk (11 → 3.6 ms for 7,500).
        migrator.registerMigration("v9 statistics indexes") { db in
            try db.execute(sql: """
                CREATE INDEX participant_on_status_category_region ON participant(status, category, region_code);
                CREATE INDEX checkin_by_desk ON checkin(desk, token_name, result, source, recorded_at);
                """)
        }
        // Statistics by time: a list's scans in its order with their times (arrivals per ten
        // minutes without reading the table), and what reached the server lately (each desk's
        // last minutes without reading the whole trail). Both grow at their right edge as scans
        // come, which is cheap to write.
        migrator.registerMigration("v10 statistics by time") { db in
            try db.execute(sql: """
                DROP INDEX checkin_on_list;
                CREATE INDEX checkin_on_list ON checkin(list_slug, result, annulled_at, scanned_at);
                CREATE INDEX checkin_by_recording ON checkin(recorded_at, list_slug, desk, token_name, scanned_at, source);
                """)
        }
        migrator.registerMigration("v11 backups") { db in
            try db.execute(sql: """
                CREATE TABLE backup (
                    id INTEGER PRIMARY KEY,
                    made_at TEXT NOT NULL,
                    path TEXT NOT NULL,
                    bytes INTEGER NOT NULL
                );
                """)
        }
        migrator.registerMigration("v12 e-tickets") { db in
            // One row per badge mailed: a rerun sends nothing twice, a reprint (a new serial) is due again.
            try db.execute(sql: """
                CREATE TABLE ticket_mail (
                    participant_id INTEGER NOT NULL REFERENCES participant(id),
                    badge_serial INTEGER NOT NULL,
                    address TEXT NOT NULL,
                    message_id TEXT NOT NULL,
                    sent_at TEXT NOT NULL,
                    PRIMARY KEY (participant_id, badge_serial)
                ) WITHOUT ROWID;
                """)
        }
        migrator.registerMigration("v13 organisers' check-in lists") { db in
            // Lists organisers make (lunch, buses, badge pick-up), with their hours; categories and
            // hand openings stay in `checkin_list_setting`, as for every list. A scan at a list
            // that admits many times is marked so that the one-standing index lets it stand.
            try db.execute(sql: """
                CREATE TABLE checkin_list (
                    slug TEXT PRIMARY KEY,
                    title TEXT NOT NULL,
                    opens_at DATETIME NOT NULL,
                    closes_at DATETIME NOT NULL,
                    repeatable BOOLEAN NOT NULL DEFAULT 0
                );
                ALTER TABLE checkin ADD COLUMN repeatable BOOLEAN NOT NULL DEFAULT 0;
                DROP INDEX checkin_one_standing;
                CREATE UNIQUE INDEX checkin_one_standing ON checkin(participant_id, list_slug) WHERE result = 'ok' AND annulled_at IS NULL AND NOT repeatable;
                """)
        }
        migrator.registerMigration("v14 reprints at the desk") { db in
            // A desk's token may be granted reprints; every reprint is kept with who made it.
            try db.execute(sql: """
                ALTER TABLE api_token ADD COLUMN may_reprint BOOLEAN NOT NULL DEFAULT 0;
                CREATE TABLE badge_reprint (
                    id INTEGER PRIMARY KEY,
                    participant_id INTEGER NOT NULL REFERENCES participant(id),
                    badge_serial INTEGER NOT NULL,
                    reprinted_at DATETIME NOT NULL,
                    token_name TEXT
                );
                CREATE INDEX badge_reprint_on_participant ON badge_reprint(participant_id);
                """)
        }
        migrator.registerMigration("v15 sign-up by participants") { db in
            // When participants may sign themselves up ('*': every session), and the secret the
            // attendee pages sign their forms with.
            try db.execute(sql: """
                CREATE TABLE signup_opening (
                    scope TEXT PRIMARY KEY,
                    opens_at DATETIME NOT NULL
                );
                CREATE TABLE server_secret (
                    name TEXT PRIMARY KEY,
                    value BLOB NOT NULL
                );
                """)
        }
        return migrator
    }()

    /// Migrations applied to `db` that this forumops does not know, oldest first.
    static func unknownMigrations(_ db: Database) throws -> [String] {
        guard try migrator.hasBeenSuperseded(db) else { return [] }
        let known = Set(migrator.migrations)
        return try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations ORDER BY rowid").filter { !known.contains($0) }
    }
}
