/*
 * The store's schema as ordered migrations. Migration N brings a database
 * from PRAGMA user_version N-1 to N; an entry is never edited once released,
 * a change is a new entry at the end.
 */
#include "migrations.h"

static const char *const migration_list[] = {
	/* 1: incidents, the append-only timeline and the record of each step. */
	"CREATE TABLE incidents ("
	"  id TEXT PRIMARY KEY,"                 /* INC-YYYY-NNNN */
	"  year INTEGER NOT NULL,"
	"  seq INTEGER NOT NULL,"
	"  source TEXT,"
	"  reference TEXT,"
	"  summary TEXT NOT NULL,"
	"  category TEXT,"
	"  scope TEXT,"
	"  severity TEXT,"
	"  suggested_severity TEXT,"
	"  suggestion_rule TEXT,"
	"  status TEXT NOT NULL DEFAULT 'open'"
	"    CHECK (status IN ('open', 'mitigated', 'resolved', 'closed')),"
	"  product TEXT,"
	"  channels TEXT NOT NULL DEFAULT '[]',"          /* JSON array */
	"  priority TEXT,"
	"  risk_indicators TEXT NOT NULL DEFAULT '[]',"   /* JSON array */
	"  impacted_services TEXT NOT NULL DEFAULT '[]'," /* JSON array */
	"  metrics TEXT NOT NULL DEFAULT '[]',"           /* JSON array */
	"  detection_source TEXT,"
	"  reporter TEXT,"
	"  reproduction TEXT,"
	"  received_at TEXT,"
	"  detected_at TEXT,"
	"  started_at TEXT,"
	"  created_at TEXT NOT NULL,"
	"  mitigated_at TEXT,"
	"  resolved_at TEXT,"
	"  closed_at TEXT,"
	"  commander TEXT,"
	"  impact_what TEXT,"
	"  impact_who TEXT,"
	"  impact_since TEXT,"
	"  impact_status TEXT,"
	"  root_cause TEXT,"
	"  vendor_blame_approved_by TEXT,"   /* management approval to name a vendor */
	"  root_cause_approved_by TEXT,"     /* approval to share the root cause with Marketing */
	"  extra TEXT NOT NULL DEFAULT '{}',"  /* handoff fields warroom does not know, kept */
	"  UNIQUE (year, seq)"
	");"
	"CREATE UNIQUE INDEX incidents_origin ON incidents (source, reference)"
	"  WHERE source IS NOT NULL AND reference IS NOT NULL;"
	"CREATE INDEX incidents_status ON incidents (status);"

	"CREATE TABLE events ("
	"  id INTEGER PRIMARY KEY,"
	"  incident_id TEXT NOT NULL REFERENCES incidents (id),"
	"  at TEXT NOT NULL,"
	"  actor TEXT NOT NULL,"
	"  kind TEXT NOT NULL,"
	"  details TEXT NOT NULL DEFAULT ''"
	");"
	"CREATE INDEX events_incident ON events (incident_id, id);"
	"CREATE TRIGGER events_no_update BEFORE UPDATE ON events"
	"  BEGIN SELECT RAISE(ABORT, 'the timeline is append-only'); END;"
	"CREATE TRIGGER events_no_delete BEFORE DELETE ON events"
	"  BEGIN SELECT RAISE(ABORT, 'the timeline is append-only'); END;"

	"CREATE TABLE evidence ("
	"  id INTEGER PRIMARY KEY,"
	"  incident_id TEXT NOT NULL REFERENCES incidents (id),"
	"  kind TEXT NOT NULL,"          /* handoff, metric, log, observation, ticket, file, ... */
	"  name TEXT,"
	"  body TEXT NOT NULL,"          /* verbatim: the whole handoff JSON, or the item's JSON */
	"  at TEXT,"
	"  added_by TEXT NOT NULL,"
	"  added_at TEXT NOT NULL"
	");"
	"CREATE INDEX evidence_incident ON evidence (incident_id, id);"

	"CREATE TABLE hypotheses ("
	"  id INTEGER PRIMARY KEY,"
	"  incident_id TEXT NOT NULL REFERENCES incidents (id),"
	"  text TEXT NOT NULL,"
	"  status TEXT NOT NULL DEFAULT 'unconfirmed'"
	"    CHECK (status IN ('unconfirmed', 'confirmed', 'rejected')),"
	"  added_by TEXT NOT NULL,"
	"  added_at TEXT NOT NULL,"
	"  decided_by TEXT,"
	"  decided_at TEXT,"
	"  note TEXT"
	");"
	"CREATE TRIGGER hypotheses_text_fixed BEFORE UPDATE OF text ON hypotheses"
	"  BEGIN SELECT RAISE(ABORT, 'a hypothesis is never edited; add a new one'); END;"

	"CREATE TABLE checklist ("
	"  incident_id TEXT NOT NULL REFERENCES incidents (id),"
	"  list TEXT NOT NULL,"          /* a step id, or 'security' for the mini-SOP */
	"  item TEXT NOT NULL,"
	"  state TEXT NOT NULL CHECK (state IN ('done', 'na')),"
	"  note TEXT,"
	"  actor TEXT NOT NULL,"
	"  at TEXT NOT NULL,"
	"  PRIMARY KEY (incident_id, list, item)"
	");"

	"CREATE TABLE validations ("
	"  incident_id TEXT NOT NULL REFERENCES incidents (id),"
	"  kind TEXT NOT NULL,"          /* monitoring, journeys */
	"  note TEXT NOT NULL,"
	"  actor TEXT NOT NULL,"
	"  at TEXT NOT NULL,"
	"  PRIMARY KEY (incident_id, kind)"
	");"

	"CREATE TABLE updates ("
	"  id INTEGER PRIMARY KEY,"
	"  incident_id TEXT NOT NULL REFERENCES incidents (id),"
	"  audience TEXT NOT NULL,"
	"  text TEXT NOT NULL,"
	"  state TEXT NOT NULL DEFAULT 'draft' CHECK (state IN ('draft', 'approved', 'published')),"
	"  created_by TEXT NOT NULL,"
	"  created_at TEXT NOT NULL,"
	"  edited_at TEXT NOT NULL,"
	"  approved_by TEXT,"
	"  approved_at TEXT,"
	"  errors_at_approval INTEGER NOT NULL DEFAULT 0,"
	"  override_reason TEXT,"
	"  published_by TEXT,"
	"  published_at TEXT,"
	"  publish_result TEXT"
	");"
	"CREATE INDEX updates_incident ON updates (incident_id, audience, id);"

	"CREATE TABLE actions ("
	"  id INTEGER PRIMARY KEY,"
	"  incident_id TEXT NOT NULL REFERENCES incidents (id),"
	"  kind TEXT NOT NULL CHECK (kind IN ('corrective', 'prevention')),"
	"  owner TEXT NOT NULL,"
	"  due TEXT NOT NULL,"
	"  text TEXT NOT NULL,"
	"  done_at TEXT,"
	"  added_by TEXT NOT NULL,"
	"  added_at TEXT NOT NULL"
	");"

	"CREATE TABLE payment_windows ("
	"  id INTEGER PRIMARY KEY,"
	"  incident_id TEXT NOT NULL REFERENCES incidents (id),"
	"  from_at TEXT NOT NULL,"
	"  to_at TEXT,"
	"  types TEXT NOT NULL DEFAULT '[]',"  /* JSON array of transaction types */
	"  confirmed INTEGER NOT NULL DEFAULT 0,"
	"  added_by TEXT NOT NULL,"
	"  added_at TEXT NOT NULL"
	");"

	"CREATE TABLE decisions ("
	"  id INTEGER PRIMARY KEY,"
	"  incident_id TEXT NOT NULL REFERENCES incidents (id),"
	"  text TEXT NOT NULL,"
	"  decided_by TEXT NOT NULL,"
	"  at TEXT NOT NULL"
	");",

	/*
	 * 2: a tamper-evident timeline (each event's hash covers the previous
	 * one's), the evidence register's file facts, and need-to-know flags.
	 * Hashes of events written before this version are filled in by the
	 * store right after this migration, in the same transaction.
	 */
	"ALTER TABLE events ADD COLUMN seq INTEGER;"        /* 1, 2, 3... within an incident */
	"ALTER TABLE events ADD COLUMN prev_hash TEXT;"
	"ALTER TABLE events ADD COLUMN hash TEXT;"          /* SHA-256, hex */
	"CREATE UNIQUE INDEX events_seq ON events (incident_id, seq);"
	"ALTER TABLE evidence ADD COLUMN sha256 TEXT;"
	"ALTER TABLE evidence ADD COLUMN size INTEGER;"
	"ALTER TABLE evidence ADD COLUMN original_path TEXT;"
	"ALTER TABLE evidence ADD COLUMN stored_path TEXT;"
	"ALTER TABLE hypotheses ADD COLUMN restricted INTEGER NOT NULL DEFAULT 0;",

	/* 3: the commander's lease on an incident and handovers between commanders. */
	"CREATE TABLE leases ("
	"  incident_id TEXT PRIMARY KEY REFERENCES incidents (id),"
	"  holder TEXT NOT NULL,"
	"  host TEXT NOT NULL,"
	"  pid INTEGER NOT NULL,"
	"  taken_at TEXT NOT NULL,"
	"  heartbeat_at TEXT NOT NULL"
	");"
	"CREATE TABLE handovers ("
	"  id INTEGER PRIMARY KEY,"
	"  incident_id TEXT NOT NULL REFERENCES incidents (id),"
	"  from_holder TEXT NOT NULL,"
	"  to_holder TEXT NOT NULL,"
	"  brief TEXT NOT NULL,"
	"  created_at TEXT NOT NULL,"
	"  acknowledged_at TEXT"
	");",
};

const char *const *migrations(size_t *count)
{
	*count = sizeof migration_list / sizeof migration_list[0];
	return migration_list;
}
