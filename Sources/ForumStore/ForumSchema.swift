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
        return migrator
    }()
}
