//! The normalized-call schema is stable: a column changes only with a new schema version, and
//! docs/normalized-calls.md lists the columns of the current version.

use cdrscope::export::schema::describe;
use cdrscope::export::{COLUMNS, REJECT_COLUMNS, SCHEMA_VERSION};

/// The columns of every released version (`name type null|not null`), oldest first. A change to
/// `COLUMNS` needs a new entry here and a bumped `SCHEMA_VERSION`; an old entry never changes.
const VERSIONS: &[(u32, &str)] = &[(
    1,
    "source_file string not null
source_line int64 not null
format string not null
start_time timestamp(ms, utc) null
answer_time timestamp(ms, utc) null
end_time timestamp(ms, utc) null
caller string null
callee string null
destination string not null
destination_name string not null
destination_name_es string not null
ingress_gateway string null
egress_gateway string null
account string null
call_id string null
code string null
code_system string null
code_label string null
sip_final int32 null
sip_equivalent int32 null
sip_class string not null
q850 int32 null
outcome string not null
answered boolean not null
error_class string null
talk_s int64 not null
billed_s int64 null
pdd_ms int64 null
end_direction string null
fee decimal(18,6) null
cost decimal(18,6) null
duplicate boolean not null
duplicate_kind string null
",
)];

const REJECTS_V1: &str = "source_file string not null
source_line int64 null
reason_kind string not null
reason string not null
byte_offset int64 null
byte_len int64 null
";

#[test]
fn columns_change_only_with_a_version() {
    let (last, text) = VERSIONS.last().copied().unwrap();
    assert_eq!(
        SCHEMA_VERSION, last,
        "SCHEMA_VERSION is not the last version listed here"
    );
    assert_eq!(
        describe(&COLUMNS),
        text,
        "the columns changed: bump SCHEMA_VERSION and add the new column list to VERSIONS"
    );
    assert_eq!(describe(&REJECT_COLUMNS), REJECTS_V1);
}

#[test]
fn the_schema_page_lists_the_current_columns() {
    let doc = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/docs/normalized-calls.md"
    ))
    .unwrap();
    assert!(doc.contains(&format!("(schema version {SCHEMA_VERSION})")));
    for c in COLUMNS.iter().chain(REJECT_COLUMNS.iter()) {
        let row = format!(
            "| `{}` | {} | {} | {} |",
            c.name,
            c.kind.name(),
            if c.nullable { "yes" } else { "no" },
            c.doc
        );
        assert!(doc.contains(&row), "docs/normalized-calls.md lacks: {row}");
    }
}
