//! The learning record store's SQL, written once for both dialects. Statement queries are composed
//! at run time from these pieces (see `LrsStore::query_statements` in `shared.rs`).

/// Takes the tenant's sequence row (and with it the tenant's statement write lock), creating it
/// on the first statement, and reserves `$2` numbers.
pub const RESERVE_SEQ: &str = "INSERT INTO xapi_sequences (tenant_id, last_seq) VALUES ($1, $2) \
     ON CONFLICT (tenant_id) DO UPDATE SET last_seq = xapi_sequences.last_seq + excluded.last_seq \
     RETURNING last_seq";
/// Gives the statement `$3` (stored `$4`) the own terms of the statement `$2` it refers to.
pub const INHERIT_TERMS: &str =
    "INSERT INTO xapi_statement_terms (tenant_id, kind, term, seq, stored, own, via_ref) \
     SELECT t.tenant_id, t.kind, t.term, $3, $4, 0, t.own FROM xapi_statement_terms t \
     JOIN xapi_statements target ON target.tenant_id = t.tenant_id AND target.seq = t.seq \
     WHERE target.tenant_id = $1 AND target.id = $2 AND t.own > 0 \
     ON CONFLICT (tenant_id, kind, term, stored, seq) DO UPDATE SET via_ref = excluded.via_ref";
/// Voids the target unless it is itself a voiding statement.
pub const VOID_STATEMENT: &str =
    "UPDATE xapi_statements SET voided = TRUE WHERE tenant_id = $1 AND id = $2 AND voids IS NULL";
pub const STATEMENT_COLUMNS: &str =
    "s.seq, s.id, s.stored, s.voided, s.voids IS NOT NULL AS is_voiding, s.attachments, s.body";
pub const LATEST_STATEMENT: &str =
    "SELECT stored, seq FROM xapi_statements WHERE tenant_id = $1 ORDER BY seq DESC LIMIT 1";
pub const STATEMENTS_AFTER: &str = "SELECT s.seq, s.id, s.stored, s.voided, s.voids IS NOT NULL AS is_voiding, s.attachments, s.body \
     FROM xapi_statements s WHERE s.tenant_id = $1 AND s.seq > $2 ORDER BY s.seq LIMIT $3";

pub const PUT_ATTACHMENT: &str = "INSERT INTO xapi_attachments (tenant_id, sha2, content_type, content) VALUES ($1, $2, $3, $4) \
     ON CONFLICT (tenant_id, sha2) DO NOTHING";
pub const ATTACHMENT: &str =
    "SELECT content_type, content FROM xapi_attachments WHERE tenant_id = $1 AND sha2 = $2";

#[cfg(test)]
const DOCUMENT_KEY: &str =
    "tenant_id = $1 AND kind = $2 AND activity_id = $3 AND agent_key = $4 AND registration = $5 AND document_id = $6";
pub const DOCUMENT: &str = "SELECT content_type, content, etag, updated FROM xapi_documents \
     WHERE tenant_id = $1 AND kind = $2 AND activity_id = $3 AND agent_key = $4 AND registration = $5 AND document_id = $6";
/// Unconditional write.
pub const UPSERT_DOCUMENT: &str = "INSERT INTO xapi_documents \
     (tenant_id, kind, activity_id, agent_key, registration, document_id, content_type, content, etag, updated) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) \
     ON CONFLICT (tenant_id, kind, activity_id, agent_key, registration, document_id) DO UPDATE SET \
     content_type = excluded.content_type, content = excluded.content, etag = excluded.etag, updated = excluded.updated";
/// Only if no document exists (`If-None-Match: *`).
pub const CREATE_DOCUMENT: &str = "INSERT INTO xapi_documents \
     (tenant_id, kind, activity_id, agent_key, registration, document_id, content_type, content, etag, updated) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) \
     ON CONFLICT (tenant_id, kind, activity_id, agent_key, registration, document_id) DO NOTHING";
/// Only if the current document has the tag `$11` (`If-Match`).
pub const REPLACE_DOCUMENT: &str = "UPDATE xapi_documents SET content_type = $7, content = $8, etag = $9, updated = $10 \
     WHERE tenant_id = $1 AND kind = $2 AND activity_id = $3 AND agent_key = $4 AND registration = $5 AND document_id = $6 AND etag = $11";
pub const DELETE_DOCUMENT: &str = "DELETE FROM xapi_documents \
     WHERE tenant_id = $1 AND kind = $2 AND activity_id = $3 AND agent_key = $4 AND registration = $5 AND document_id = $6";
pub const DELETE_DOCUMENT_IF: &str = "DELETE FROM xapi_documents \
     WHERE tenant_id = $1 AND kind = $2 AND activity_id = $3 AND agent_key = $4 AND registration = $5 AND document_id = $6 AND etag = $7";
/// `$6` is the exclusive lower bound of `updated` (the epoch for all).
pub const DOCUMENT_IDS: &str = "SELECT document_id FROM xapi_documents \
     WHERE tenant_id = $1 AND kind = $2 AND activity_id = $3 AND agent_key = $4 AND registration = $5 AND updated > $6 ORDER BY document_id";
/// States of an activity and agent; `$5` true means every registration.
pub const STATE_IDS: &str = "SELECT document_id FROM xapi_documents \
     WHERE tenant_id = $1 AND kind = 'state' AND activity_id = $2 AND agent_key = $3 AND ($5 OR registration = $4) AND updated > $6 ORDER BY document_id";
pub const DELETE_STATES: &str = "DELETE FROM xapi_documents \
     WHERE tenant_id = $1 AND kind = 'state' AND activity_id = $2 AND agent_key = $3 AND ($5 OR registration = $4)";
pub const DELETE_PROFILES: &str = "DELETE FROM xapi_documents \
     WHERE tenant_id = $1 AND kind = $2 AND activity_id = $3 AND agent_key = $4";

#[cfg(test)]
mod tests {
    #[test]
    fn document_statements_use_the_whole_key() {
        use super::*;
        for statement in [
            DOCUMENT,
            REPLACE_DOCUMENT,
            DELETE_DOCUMENT,
            DELETE_DOCUMENT_IF,
        ] {
            assert!(statement.contains(DOCUMENT_KEY), "{statement}");
        }
        assert!(
            STATEMENTS_AFTER.contains(STATEMENT_COLUMNS),
            "{STATEMENTS_AFTER}"
        );
    }
}
