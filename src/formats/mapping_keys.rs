//! Every key of the generic column mapping, with what it means and an example: the one list
//! `docs/mapping.md` and `cdrscope mapping --help` show.

/// Each mapping key, what it holds, and an example value as JSON.
pub const MAPPING_KEYS: [(&str, &str, &str); 25] = [
    ("delimiter", "field delimiter; sniffed when absent", r#""delimiter": ";""#),
    ("header", "whether the first row is a header; by default yes when a column is named", r#""header": true"#),
    ("date_order", "day, month and year order of datetimes: ymd (default), dmy, mdy", r#""date_order": "dmy""#),
    ("time_basis", "utc or naive_local; epoch stamps are UTC and datetimes local by default", r#""time_basis": "utc""#),
    ("start", "call start time (epoch s or ms, or a datetime)", r#""start": "Start""#),
    ("answer", "answer time", r#""answer": "Answer Time""#),
    ("end", "end time", r#""end": "End""#),
    ("duration", "talk time: seconds, h:mm:ss or mm:ss (or ms with duration_unit)", r#""duration": "Secs""#),
    ("duration_unit", "unit of duration: s (default) or ms", r#""duration_unit": "ms""#),
    ("pdd", "post-dial delay", r#""pdd": "PDD (ms)""#),
    ("pdd_unit", "unit of pdd: ms (default) or s", r#""pdd_unit": "s""#),
    ("caller", "calling number", r#""caller": "From""#),
    ("callee", "called number", r#""callee": "Dest""#),
    ("ingress", "ingress gateway or customer", r#""ingress": "Customer""#),
    ("egress", "egress gateway, trunk or vendor", r#""egress": "Trunk""#),
    ("account", "customer account", r#""account": "Account""#),
    ("call_id", "call identifier (SIP Call-ID, unique id)", r#""call_id": "Call ID""#),
    ("code", "final code column", r#""code": "Disposition""#),
    ("code_system", "what code holds: sip (default), q850, vos3000, freeswitch, asterisk, text (status words)", r#""code_system": "text""#),
    ("code_words", "with text codes: your words and the outcome each means", r#""code_words": {"Besetzt": "busy", "Beantwortet": "answered"}"#),
    ("answered", "how to tell an answered call: auto, duration, answer_time, {\"code\": [...]}, {\"flag\": {...}}", r#""answered": {"flag": {"column": "Status", "values": ["OK"]}}"#),
    ("fee", "amount charged to the customer (fixed-point decimal)", r#""fee": "Price""#),
    ("cost", "amount paid to the vendor", r#""cost": "Cost""#),
    ("columns by index", "any column key takes a 0-based index instead of a header name", r#""duration": 9"#),
    ("outcomes for code_words", "answered, busy, no_answer, cancelled, rejected, number_error, no_route, unavailable, timeout, media, auth, other", r#""code_words": {"Sin respuesta": "no_answer"}"#),
];

/// The key list as plain text, one key a line with its example.
pub fn mapping_keys_text() -> String {
    let mut out = String::from("Mapping keys (JSON, every key optional; see docs/mapping.md):\n");
    for (key, what, example) in MAPPING_KEYS {
        out.push_str(&format!("  {key}: {what}\n      {example}\n"));
    }
    out
}
