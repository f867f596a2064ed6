//! The competency engine's SQL, written once for both dialects. Lists of ids are bound with
//! `QueryBuilder` (see `shared_competencies.rs`); these are the fixed statements.

/// A framework is visible to tenant `$1` if it is the network's or the tenant's own.
pub const VISIBLE_FRAMEWORK: &str = "(f.tenant_id IS NULL OR f.tenant_id = $1)";

pub const UPSERT_FRAMEWORK: &str = "INSERT INTO frameworks \
     (id, tenant_id, owner_key, kind, uri, title_en, title_de, version, generation, imported_at) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 1, $9) \
     ON CONFLICT (owner_key, kind, uri) DO UPDATE SET title_en = excluded.title_en, \
     title_de = excluded.title_de, version = excluded.version, \
     generation = frameworks.generation + 1, imported_at = excluded.imported_at \
     RETURNING id, generation";
pub const FRAMEWORK_COLUMNS: &str =
    "f.id, f.tenant_id, f.kind, f.uri, f.title_en, f.title_de, f.version, f.imported_at";
pub const FRAMEWORKS: &str = "SELECT f.id, f.tenant_id, f.kind, f.uri, f.title_en, f.title_de, f.version, f.imported_at \
     FROM frameworks f WHERE (f.tenant_id IS NULL OR f.tenant_id = $1) ORDER BY f.tenant_id IS NOT NULL, f.title_en, f.id";
pub const FRAMEWORK: &str =
    "SELECT f.id, f.tenant_id, f.kind, f.uri, f.title_en, f.title_de, f.version, f.imported_at \
     FROM frameworks f WHERE (f.tenant_id IS NULL OR f.tenant_id = $1) AND f.id = $2";

pub const COMPETENCY_IDS_BY_URI: &str = "SELECT uri, id FROM competencies WHERE framework_id = $1";
pub const OCCUPATION_IDS_BY_URI: &str = "SELECT uri, id FROM occupations WHERE framework_id = $1";
/// Marks what the import of generation `$2` did not bring as obsolete; returns how many became so.
pub const OBSOLETE_COMPETENCIES: &str =
    "UPDATE competencies SET obsolete = TRUE WHERE framework_id = $1 AND generation <> $2 AND NOT obsolete";
pub const OBSOLETE_OCCUPATIONS: &str =
    "UPDATE occupations SET obsolete = TRUE WHERE framework_id = $1 AND generation <> $2 AND NOT obsolete";
pub const DELETE_IMPORTED_LABELS: &str = "DELETE FROM competency_labels WHERE competency_id IN \
     (SELECT id FROM competencies WHERE framework_id = $1 AND generation = $2)";
pub const DELETE_IMPORTED_RELATIONS: &str = "DELETE FROM competency_relations WHERE from_id IN \
     (SELECT id FROM competencies WHERE framework_id = $1 AND generation = $2)";
pub const DELETE_IMPORTED_OCCUPATION_LABELS: &str =
    "DELETE FROM occupation_labels WHERE occupation_id IN \
     (SELECT id FROM occupations WHERE framework_id = $1 AND generation = $2)";
pub const DELETE_IMPORTED_REQUIREMENTS: &str =
    "DELETE FROM occupation_competencies WHERE occupation_id IN \
     (SELECT id FROM occupations WHERE framework_id = $1 AND generation = $2)";

pub const COMPETENCY_COLUMNS: &str =
    "c.id, c.framework_id, c.uri, c.code, c.kind, c.category, c.obsolete";
pub const OCCUPATION_COLUMNS: &str =
    "o.id, o.framework_id, o.uri, o.code, o.isco_group, o.obsolete";

pub const RELATIONS_OF: &str = "SELECT kind, TRUE AS outgoing, to_id AS other FROM competency_relations WHERE from_id = $1 \
     UNION ALL SELECT kind, FALSE AS outgoing, from_id AS other FROM competency_relations WHERE to_id = $1";
pub const OCCUPATION: &str =
    "SELECT o.id, o.framework_id, o.uri, o.code, o.isco_group, o.obsolete \
     FROM occupations o JOIN frameworks f ON f.id = o.framework_id \
     WHERE (f.tenant_id IS NULL OR f.tenant_id = $1) AND o.id = $2";
pub const OCCUPATION_REQUIREMENTS: &str =
    "SELECT competency_id, kind FROM occupation_competencies WHERE occupation_id = $1";
pub const OCCUPATIONS_NEEDING: &str =
    "SELECT oc.occupation_id, oc.kind FROM occupation_competencies oc \
     JOIN occupations o ON o.id = oc.occupation_id JOIN frameworks f ON f.id = o.framework_id \
     WHERE (f.tenant_id IS NULL OR f.tenant_id = $1) AND oc.competency_id = $2 AND NOT o.obsolete \
     ORDER BY oc.kind DESC, oc.occupation_id LIMIT $3";

pub const INSERT_SCALE: &str =
    "INSERT INTO proficiency_scales (tenant_id, id, name_en, name_de, levels) VALUES ($1, $2, $3, $4, $5)";
pub const SCALES: &str =
    "SELECT id, name_en, name_de, levels FROM proficiency_scales WHERE tenant_id = $1 ORDER BY name_en, id";

pub const ROLE_EXISTS: &str = "SELECT 1 FROM roles WHERE tenant_id = $1 AND id = $2";
pub const ROLE_REQUIREMENTS: &str =
    "SELECT competency_id, kind, target_level FROM role_requirements \
     WHERE tenant_id = $1 AND role_id = $2 ORDER BY kind DESC, competency_id";
pub const DELETE_ROLE_REQUIREMENTS: &str =
    "DELETE FROM role_requirements WHERE tenant_id = $1 AND role_id = $2";
pub const ROLES_REQUIRING: &str =
    "SELECT role_id, competency_id, kind, target_level FROM role_requirements \
     WHERE tenant_id = $1 AND competency_id = $2 ORDER BY role_id";
pub const PERSON_ROLE_TARGETS: &str = "SELECT ra.role_id, ra.kind AS assignment, rr.competency_id, rr.kind, rr.target_level \
     FROM role_assignments ra JOIN role_requirements rr ON rr.tenant_id = ra.tenant_id AND rr.role_id = ra.role_id \
     WHERE ra.tenant_id = $1 AND ra.person_id = $2 ORDER BY ra.kind, ra.role_id, rr.competency_id";

pub const EVIDENCE_COLUMNS: &str = "id, person_id, competency_id, kind, level, observed_at, author_id, source, link, note, recorded_at";
pub const EVIDENCE_OF_PERSON: &str = "SELECT id, person_id, competency_id, kind, level, observed_at, author_id, source, link, note, recorded_at \
     FROM evidence WHERE tenant_id = $1 AND person_id = $2 ORDER BY observed_at, id";
pub const EVIDENCE_OF_COMPETENCY: &str = "SELECT id, person_id, competency_id, kind, level, observed_at, author_id, source, link, note, recorded_at \
     FROM evidence WHERE tenant_id = $1 AND person_id = $2 AND competency_id = $3 ORDER BY observed_at, id";
pub const EVIDENCE_ITEM: &str = "SELECT id, person_id, competency_id, kind, level, observed_at, author_id, source, link, note, recorded_at \
     FROM evidence WHERE tenant_id = $1 AND id = $2";
pub const ESTIMATES: &str =
    "SELECT person_id, competency_id, level, confidence, evidence_count, computed_at \
     FROM competency_estimates WHERE tenant_id = $1 AND person_id = $2";
pub const EVIDENCE_PAIRS: &str = "SELECT DISTINCT person_id, competency_id FROM evidence \
     WHERE tenant_id = $1 AND (person_id > $2 OR (person_id = $2 AND competency_id > $3)) \
     ORDER BY person_id, competency_id LIMIT $4";

pub const INSERT_GOAL: &str = "INSERT INTO learning_goals (tenant_id, id, person_id, competency_id, target_level, due, created_at) \
     VALUES ($1, $2, $3, $4, $5, $6, $7)";
pub const GOALS: &str =
    "SELECT id, person_id, competency_id, target_level, due, created_at FROM learning_goals \
     WHERE tenant_id = $1 AND person_id = $2 ORDER BY created_at, id";
pub const DELETE_GOAL: &str =
    "DELETE FROM learning_goals WHERE tenant_id = $1 AND person_id = $2 AND id = $3";
pub const SHARE_PROFILE: &str =
    "INSERT INTO competency_profile_sharing (tenant_id, person_id, shared_at) VALUES ($1, $2, $3) \
     ON CONFLICT (tenant_id, person_id) DO NOTHING";
pub const UNSHARE_PROFILE: &str =
    "DELETE FROM competency_profile_sharing WHERE tenant_id = $1 AND person_id = $2";
pub const PROFILE_SHARED: &str =
    "SELECT 1 FROM competency_profile_sharing WHERE tenant_id = $1 AND person_id = $2";
pub const PERSON_EXISTS: &str = "SELECT 1 FROM people WHERE tenant_id = $1 AND id = $2";

pub const GROUP_PAGE: &str =
    "SELECT id FROM people WHERE tenant_id = $1 AND id > $2 ORDER BY id LIMIT $3";
pub const GROUP_PAGE_OF_MANAGER: &str =
    "SELECT id FROM people WHERE tenant_id = $1 AND id > $2 AND manager_id = $4 ORDER BY id LIMIT $3";
pub const GROUP_PAGE_IN_SUBTREE: &str = "WITH RECURSIVE subtree (id, depth) AS ( \
       SELECT id, 0 FROM org_units WHERE tenant_id = $1 AND id = $4 \
       UNION ALL \
       SELECT u.id, s.depth + 1 FROM org_units u JOIN subtree s ON u.parent_id = s.id \
       WHERE u.tenant_id = $1 AND s.depth < 1000) \
     SELECT id FROM people WHERE tenant_id = $1 AND id > $2 AND org_unit_id IN (SELECT id FROM subtree) ORDER BY id LIMIT $3";

pub const ALIGN_ACTIVITY: &str = "INSERT INTO activity_alignments (tenant_id, activity_id, competency_id, level) VALUES ($1, $2, $3, $4) \
     ON CONFLICT (tenant_id, activity_id, competency_id) DO UPDATE SET level = excluded.level";
pub const FEED_CURSOR: &str =
    "SELECT seq FROM statement_feed_cursors WHERE tenant_id = $1 AND consumer = $2";
pub const SET_FEED_CURSOR: &str =
    "INSERT INTO statement_feed_cursors (tenant_id, consumer, seq) VALUES ($1, $2, $3) \
     ON CONFLICT (tenant_id, consumer) DO UPDATE SET seq = excluded.seq";
