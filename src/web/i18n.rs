//! English and Spanish UI text. The language is remembered in localStorage.

use std::cell::Cell;

/// A UI language.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lang {
    /// English.
    En,
    /// Spanish.
    Es,
}

impl Lang {
    /// The language code (`en`, `es`).
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Es => "es",
        }
    }

    /// Parses a language code; anything but Spanish is English.
    pub fn parse(code: &str) -> Lang {
        if code.starts_with("es") {
            Lang::Es
        } else {
            Lang::En
        }
    }
}

thread_local! {
    static LANG: Cell<Lang> = const { Cell::new(Lang::En) };
}

/// The current language.
pub fn lang() -> Lang {
    LANG.with(Cell::get)
}

/// Switches the language.
pub fn set_lang(l: Lang) {
    LANG.with(|c| c.set(l));
}

/// The text of `key` in the current language (the key itself when missing).
pub fn t(key: &str) -> &'static str {
    let l = lang();
    TEXT.iter()
        .find(|(k, _, _)| *k == key)
        .map(|(_, en, es)| if l == Lang::Es { *es } else { *en })
        .unwrap_or_else(|| TEXT[0].1)
}

/// (key, English, Spanish).
const TEXT: &[(&str, &str, &str)] = &[
    ("missing", "?", "?"),
    ("open", "Open CDR files…", "Abrir archivos CDR…"),
    ("open_folder", "Choose folder…", "Elegir carpeta…"),
    ("folder_empty", "The folder holds no file to read. Skipped:", "La carpeta no contiene ningún archivo para leer. Omitidos:"),
    ("files_title", "Files read", "Archivos leídos"),
    ("container", "Container", "Contenedor"),
    ("rows_accepted", "Accepted", "Aceptadas"),
    ("rows_rejected", "Rejected", "Rechazadas"),
    ("rows_duplicates", "Duplicates", "Duplicadas"),
    ("file_error", "Error", "Error"),
    ("skipped_files", "Not read (hidden or system files):", "No leídos (archivos ocultos o del sistema):"),
    ("demo", "Try the demo", "Probar la demo"),
    ("language", "Language", "Idioma"),
    ("theme", "Dark / light", "Oscuro / claro"),
    ("print", "Print report", "Imprimir informe"),
    ("drop_here", "Drop CDR files to analyse them", "Suelte archivos CDR para analizarlos"),
    ("welcome_title", "Drop a CDR export anywhere on this window", "Suelte una exportación CDR en cualquier parte de esta ventana"),
    ("welcome_body", "VOS3000, Asterisk, FreeSWITCH, Kamailio/OpenSIPS, Cisco CUCM or any CSV. Several files are analysed together. Nothing leaves your machine: the file is read by this page only.", "VOS3000, Asterisk, FreeSWITCH, Kamailio/OpenSIPS, Cisco CUCM o cualquier CSV. Varios archivos se analizan juntos. Nada sale de su equipo: solo esta página lee el archivo."),
    ("cancel", "Cancel", "Cancelar"),
    ("reading", "Reading", "Leyendo"),
    ("rows_s", "rows/s", "filas/s"),
    ("cancelled", "Analysis cancelled.", "Análisis cancelado."),
    ("format", "Format", "Formato"),
    ("encoding", "Encoding", "Codificación"),
    ("delimiter", "Delimiter", "Separador"),
    ("rows", "Rows", "Filas"),
    ("accepted", "accepted", "aceptadas"),
    ("rejected", "rejected", "rechazadas"),
    ("time_range", "Time range", "Periodo"),
    ("timezone", "Time zone", "Zona horaria"),
    ("tz_naive", "times as written in the file (no zone)", "horas tal como están en el archivo (sin zona)"),
    ("wrong_format", "Wrong format?", "¿Formato incorrecto?"),
    ("auto_detect", "Detect automatically", "Detectar automáticamente"),
    ("rerun", "Analyse again", "Analizar de nuevo"),
    ("files", "Files", "Archivos"),
    ("map_title", "Map columns by hand", "Asignar columnas a mano"),
    ("map_help", "Choose the column that holds each field (the first data row is shown as an example), then apply: the files are read again with this mapping.", "Elija la columna que contiene cada dato (se muestra la primera fila de datos como ejemplo) y aplique: los archivos se leen de nuevo con esta asignación."),
    ("map_header", "The first row is a header", "La primera fila es un encabezado"),
    ("map_unused", "— not in the file", "— no está en el archivo"),
    ("map_column", "column", "columna"),
    ("f_start", "Start time", "Hora de inicio"),
    ("f_answer", "Answer time", "Hora de respuesta"),
    ("f_end", "End time", "Hora de fin"),
    ("f_duration", "Talk time", "Duración"),
    ("f_pdd", "Post-dial delay (PDD)", "Retardo posmarcación (PDD)"),
    ("f_caller", "Caller number", "Número llamante"),
    ("f_callee", "Called number", "Número llamado"),
    ("f_ingress", "Ingress gateway / customer", "Gateway de entrada / cliente"),
    ("f_egress", "Egress gateway / vendor", "Gateway de salida / proveedor"),
    ("f_account", "Account", "Cuenta"),
    ("f_call_id", "Call ID", "ID de llamada"),
    ("f_code", "Final code", "Código final"),
    ("f_fee", "Fee (charged)", "Cobro (al cliente)"),
    ("f_cost", "Cost (paid)", "Costo (al proveedor)"),
    ("map_date_order", "Date order", "Orden de la fecha"),
    ("map_ymd", "year-month-day", "año-mes-día"),
    ("map_dmy", "day/month/year", "día/mes/año"),
    ("map_mdy", "month/day/year", "mes/día/año"),
    ("map_time_basis", "Times are", "Las horas son"),
    ("map_auto", "detect automatically", "detectar automáticamente"),
    ("map_utc", "UTC", "UTC"),
    ("map_local", "local, as written", "locales, tal como están"),
    ("map_duration_unit", "Talk time unit", "Unidad de la duración"),
    ("map_pdd_unit", "PDD unit", "Unidad del PDD"),
    ("map_seconds", "seconds", "segundos"),
    ("map_ms", "milliseconds", "milisegundos"),
    ("map_code_system", "The code is", "El código es"),
    ("map_answered", "A call is answered when", "Una llamada está contestada si"),
    ("map_ans_auto", "automatic", "automático"),
    ("map_ans_duration", "talk time > 0", "duración > 0"),
    ("map_ans_answer", "the answer time is filled", "la hora de respuesta está llena"),
    ("map_ans_code", "the code is one of the values", "el código es uno de los valores"),
    ("map_ans_flag", "the column below holds one of the values", "la columna de abajo tiene uno de los valores"),
    ("map_flag_column", "Answered flag column", "Columna de contestada"),
    ("map_values", "Values meaning answered (comma-separated)", "Valores que significan contestada (separados por comas)"),
    ("map_apply", "Apply mapping", "Aplicar asignación"),
    ("map_reset", "Reset to automatic detection", "Volver a la detección automática"),
    ("map_need", "Choose at least the start time, end time, talk time or final code column.", "Elija al menos la columna de hora de inicio, hora de fin, duración o código final."),
    ("map_need_values", "Give the values that mean answered (and the column, for a flag).", "Indique los valores que significan contestada (y la columna, para un indicador)."),
    ("map_label", "Columns", "Columnas"),
    ("map_in_use", "mapped by hand (generic mapping)", "asignadas a mano (asignación genérica)"),
    ("attempts", "Attempts", "Intentos"),
    ("answered", "Answered", "Contestadas"),
    ("asr", "ASR", "ASR"),
    ("acd_s", "ACD", "ACD"),
    ("pdd_avg_ms", "PDD mean", "PDD media"),
    ("pdd_p95_ms", "PDD p95", "PDD p95"),
    ("ner", "NER", "NER"),
    ("sdr", "SDR (< 6 s)", "SDR (< 6 s)"),
    ("minutes", "Minutes", "Minutos"),
    ("fee", "Fee", "Cobro"),
    ("cost", "Cost", "Costo"),
    ("margin", "Margin", "Margen"),
    ("health", "Health", "Salud"),
    ("healthy", "healthy", "saludable"),
    ("warning", "warning", "alerta"),
    ("degraded", "degraded", "degradado"),
    ("unsure", "unsure", "incierto"),
    ("few_calls", "not enough calls", "pocas llamadas"),
    ("borderline", "borderline", "en el límite"),
    ("ok_200", "200 OK share", "Cuota 200 OK"),
    ("sip_4xx", "4xx share (cancels excluded)", "Cuota 4xx (sin cancelaciones)"),
    ("sip_5xx", "5xx share", "Cuota 5xx"),
    ("busy_486", "busy share", "Cuota ocupado"),
    ("o_answered", "answered", "contestadas"),
    ("o_busy", "busy", "ocupado"),
    ("o_no_answer", "no answer", "sin respuesta"),
    ("o_cancelled", "cancelled by caller", "canceladas por el llamante"),
    ("o_rejected", "rejected", "rechazadas"),
    ("o_number_error", "number error", "número erróneo"),
    ("o_no_route", "no route", "sin ruta"),
    ("o_unavailable", "vendor unavailable", "proveedor no disponible"),
    ("o_timeout", "timeout", "tiempo agotado"),
    ("o_media", "media / codec", "medios / códec"),
    ("o_auth", "auth / account", "autenticación / cuenta"),
    ("o_other", "other", "otros"),
    ("threshold", "healthy / degraded", "saludable / degradado"),
    ("findings", "What looks wrong", "Qué parece ir mal"),
    ("no_findings", "Nothing stands out: no gateway, customer or destination fails clearly more than the others, and no rule fired.", "Nada destaca: ningún gateway, cliente o destino falla claramente más que los demás, y ninguna regla se activó."),
    ("verdict_vs_findings", "The health verdict is not a finding: it compares this file's shares with fixed thresholds (the VOS3000 guideline by default; change them in Settings), whatever the other gateways do.", "El veredicto de salud no es un hallazgo: compara las cuotas de este archivo con umbrales fijos (la guía de VOS3000 por defecto; cámbielos en Ajustes), hagan lo que hagan los demás gateways."),
    ("critical", "critical", "crítico"),
    ("more_findings", "More findings", "Más hallazgos"),
    ("info", "info", "info"),
    ("evidence", "Evidence", "Evidencia"),
    ("action", "Action", "Acción"),
    ("show_calls", "Show these calls", "Ver estas llamadas"),
    ("ch_codes", "Why unanswered attempts failed (final codes)", "Por qué fallaron los intentos no contestados (códigos finales)"),
    ("ch_ended", "How answered calls ended", "Cómo terminaron las llamadas contestadas"),
    ("ch_outcomes", "Outcome of every attempt", "Resultado de cada intento"),
    ("ch_timeline", "Attempts, answered and ASR over time", "Intentos, contestadas y ASR en el tiempo"),
    ("ch_gateways", "ASR per egress gateway (health colour)", "ASR por gateway de salida (color de salud)"),
    ("ch_dest", "Top failing destinations (prefix × code)", "Destinos con más fallos (prefijo × código)"),
    ("ch_direction", "Who hung up (end direction)", "Quién colgó (dirección de fin)"),
    ("ch_pdd", "Post-dial delay (PDD)", "Retardo posmarcación (PDD)"),
    ("ch_duration", "Talk time of answered calls", "Duración de las llamadas contestadas"),
    ("other", "other", "otros"),
    ("w_answered", "answered", "contestadas"),
    ("w_attempts", "attempts", "intentos"),
    ("w_caller", "caller", "llamante"),
    ("w_callee", "callee", "llamado"),
    ("w_server", "server", "servidor"),
    ("w_none", "(none)", "(sin dato)"),
    ("svg", "SVG", "SVG"),
    ("png", "PNG", "PNG"),
    ("filters", "Filters", "Filtros"),
    ("from", "From", "Desde"),
    ("to", "To", "Hasta"),
    ("egress", "Egress gateway", "Gateway de salida"),
    ("ingress", "Ingress / customer", "Entrada / cliente"),
    ("prefix", "Destination", "Destino"),
    ("code", "Code", "Código"),
    ("class", "Class", "Clase"),
    ("any", "any", "todos"),
    ("only_answered", "answered", "contestadas"),
    ("only_failed", "not answered", "no contestadas"),
    ("apply", "Apply", "Aplicar"),
    ("clear", "Clear filters", "Quitar filtros"),
    ("filtered", "Filtered view", "Vista filtrada"),
    ("of_total", "of", "de"),
    ("talk_min", "talk ≥", "conversación ≥"),
    ("talk_max", "talk ≤", "conversación ≤"),
    ("fee_zero", "fee 0", "cargo 0"),
    ("fee_nonzero", "charged", "con cargo"),
    ("fee_mismatch", "fee ≠ billed × rate", "cargo ≠ facturado × tarifa"),
    ("chain_min", "failover chain ≥", "cadena de failover ≥"),
    ("chain_first", "first attempt of a chain", "primer intento de una cadena"),
    ("chain_retried", "retried on another attempt", "reintentada en otro intento"),
    ("remove_condition", "Remove this condition", "Quitar esta condición"),
    ("tbl_egress", "Egress gateways (vendors)", "Gateways de salida (proveedores)"),
    ("tbl_ingress", "Ingress gateways (customers)", "Gateways de entrada (clientes)"),
    ("tbl_dest", "Destinations", "Destinos"),
    ("name", "Name", "Nombre"),
    ("top_failure", "Top failure", "Fallo principal"),
    ("drill", "Calls", "Llamadas"),
    ("drill_close", "Close", "Cerrar"),
    ("prev", "Previous", "Anterior"),
    ("next", "Next", "Siguiente"),
    ("page", "Page", "Página"),
    ("line", "Line", "Línea"),
    ("file", "File", "Archivo"),
    ("raw_row", "Row as in the file", "Fila tal como está en el archivo"),
    ("rejects", "Rejected rows", "Filas rechazadas"),
    ("no_rejects", "Every row was accepted.", "Todas las filas fueron aceptadas."),
    ("notes", "Accepted rows with a doubtful value", "Filas aceptadas con un valor dudoso"),
    ("reason", "Reason", "Motivo"),
    ("reference", "Code reference", "Referencia de códigos"),
    ("ref_note", "Search SIP responses, Q.850 causes, VOS3000, FreeSWITCH and Asterisk codes: by number (503, cause 34, -69) or words (busy, timeout, balance).", "Busque respuestas SIP, causas Q.850 y códigos de VOS3000, FreeSWITCH y Asterisk: por número (503, causa 34, -69) o palabras (ocupado, tiempo, saldo)."),
    ("search", "Search codes", "Buscar códigos"),
    ("in_this_file", "calls in this view", "llamadas en esta vista"),
    ("exports", "Export", "Exportar"),
    ("exp_json", "Summary (JSON)", "Resumen (JSON)"),
    ("exp_csv", "Summary (CSV)", "Resumen (CSV)"),
    ("exp_calls", "Filtered calls (CSV)", "Llamadas filtradas (CSV)"),
    ("no-calls", "No calls", "Sin llamadas"),
    ("worker_replaced", "The analysis was reset; drop the files again to start over.", "El análisis se reinició; suelte los archivos de nuevo para empezar otra vez."),
    ("more_files", "more files", "archivos más"),
    ("more_errors", "more files with an error: see the files table", "archivos más con error: vea la tabla de archivos"),
    ("search", "Search…", "Buscar…"),
    ("more_options", "more: type to search", "más: escriba para buscar"),
    ("error_no_rows", "No call could be read from these files.", "No se pudo leer ninguna llamada de estos archivos."),
];
