//! The findings' words, per rule and language: adding a language is adding rows here.
//!
//! Templates use `{name}` placeholders filled from the finding's parameters; numbers arrive as
//! [`Shown`] values and are written the way each language writes numbers (`1,234` and `55.2%`
//! in English, `1.234` and `55,2%` in Spanish), with the page's own [`crate::display`] functions
//! so a finding never disagrees with the tile beside it.

use serde::Serialize;

/// The languages the table covers, English first (the fallback).
pub const LANGS: &[&str] = &["en", "es"];

/// A finding's words in one language.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct LocalText {
    /// Language code (`en`, `es`).
    pub lang: String,
    /// One-line title.
    pub title: String,
    /// The numbers, as a sentence.
    pub evidence: String,
    /// What to do.
    pub action: String,
}

/// One row of the text table.
pub struct Template {
    /// The rule id.
    pub rule: &'static str,
    /// Language code.
    pub lang: &'static str,
    /// Title template.
    pub title: &'static str,
    /// Evidence template.
    pub evidence: &'static str,
    /// Action template.
    pub action: &'static str,
}

const fn t(
    rule: &'static str,
    lang: &'static str,
    title: &'static str,
    evidence: &'static str,
    action: &'static str,
) -> Template {
    Template {
        rule,
        lang,
        title,
        evidence,
        action,
    }
}

/// Every rule's words in every language.
pub const TEXTS: &[Template] = &[
    t("gw_unavailable", "en",
      "{gw}: {pct} of attempts get {codes} (other gateways {base})",
      "{x} of {n} attempts on {gw} ended {codes} ({pct}); on the other gateways {bx} of {bn} ({base}).",
      "The vendor is refusing for capacity: line or channel limit, maintenance, or your balance with them. Ask the vendor, lower this gateway's priority or concurrency, and route its prefixes to an alternate gateway meanwhile."),
    t("gw_unavailable", "es",
      "{gw}: el {pct} de los intentos recibe {codes} (otros gateways {base})",
      "{x} de {n} intentos en {gw} terminaron con {codes} ({pct}); en los demás gateways {bx} de {bn} ({base}).",
      "El proveedor rechaza por capacidad: límite de líneas o canales, mantenimiento o saldo con él. Consulte al proveedor, baje la prioridad o concurrencia de este gateway y enrute sus prefijos por un gateway alternativo mientras tanto."),
    t("unrouted", "en",
      "{x} calls ({pct}) refused by the switch before any gateway ({codes})",
      "{x} of {n} attempts have no egress gateway and end reason {codes}.",
      "No vendor was even tried: {advice}"),
    t("unrouted", "es",
      "{x} llamadas ({pct}) rechazadas por el switch antes de cualquier gateway ({codes})",
      "{x} de {n} intentos no tienen gateway de salida y su motivo de fin es {codes}.",
      "No se intentó ningún proveedor: {advice}"),
    t("gw_timeout_unreachable", "en",
      "{gw}: {pct} of attempts time out ({codes}) with PDD 0: the gateway is unreachable",
      "{x} of {n} attempts on {gw} ended {codes} ({pct}; other gateways {base}); {z} of those {x} had no PDD: nothing ever rang.",
      "INVITEs get no answer at all: check the vendor's IP, port and transport, firewalls and NAT (SIP ALG) on both sides, that the vendor whitelisted your signalling IP, and that the INVITE timer is long enough for the route."),
    t("gw_timeout_unreachable", "es",
      "{gw}: el {pct} de los intentos expira ({codes}) con PDD 0: el gateway no responde",
      "{x} de {n} intentos en {gw} terminaron con {codes} ({pct}; otros gateways {base}); {z} de esos {x} no tienen PDD: nunca sonó.",
      "Los INVITE no reciben ninguna respuesta: revise IP, puerto y transporte del proveedor, firewalls y NAT (SIP ALG) en ambos lados, que el proveedor tenga su IP de señalización en la lista blanca y que el temporizador de INVITE sea suficiente para la ruta."),
    t("gw_timeout", "en",
      "{gw}: {pct} of attempts time out ({codes})",
      "{x} of {n} attempts on {gw} ended {codes} ({pct}; other gateways {base}); {z} of those {x} had no PDD.",
      "Timeouts after the call progressed: the INVITE or no-answer timer may be too short for this route, or the vendor's far end is slow. Compare the PDD with other gateways and raise the timer or route elsewhere."),
    t("gw_timeout", "es",
      "{gw}: el {pct} de los intentos expira ({codes})",
      "{x} de {n} intentos en {gw} terminaron con {codes} ({pct}; otros gateways {base}); {z} de esos {x} no tienen PDD.",
      "Expiraciones después de que la llamada progresó: el temporizador de INVITE o de no respuesta puede ser corto para esta ruta, o el extremo del proveedor es lento. Compare el PDD con otros gateways y aumente el temporizador o enrute por otro lado."),
    t("prefix_routing", "en",
      "Destination {prefix}: {pct} of attempts fail as not found or incomplete ({codes})",
      "{x} of {n} attempts to {prefix} ended {codes} ({pct}); other destinations {bx} of {bn} ({base}).",
      "Check the route prefix and prefix mode (digits added or stripped) for this destination, the number length and the dial plan; compare the number sent to the gateway (calleetogatewaye164) with the format the vendor expects."),
    t("prefix_routing", "es",
      "Destino {prefix}: el {pct} de los intentos falla por número no encontrado o incompleto ({codes})",
      "{x} de {n} intentos a {prefix} terminaron con {codes} ({pct}); otros destinos {bx} de {bn} ({base}).",
      "Revise el prefijo de ruta y el modo de prefijo (dígitos agregados o quitados) de este destino, la longitud del número y el plan de marcación; compare el número enviado al gateway (calleetogatewaye164) con el formato que espera el proveedor."),
    t("gw_auth", "en",
      "{gw}: {pct} of attempts refused with {codes} (authentication or authorization)",
      "{x} of {n} attempts on {gw} ended {codes} ({pct}).",
      "The vendor does not accept you: check the gateway's username, password and realm, that your IP is on the vendor's whitelist, and whether the account is locked or out of credit."),
    t("gw_auth", "es",
      "{gw}: el {pct} de los intentos rechazado con {codes} (autenticación o autorización)",
      "{x} de {n} intentos en {gw} terminaron con {codes} ({pct}).",
      "El proveedor no lo acepta: revise usuario, contraseña y realm del gateway, que su IP esté en la lista blanca del proveedor y si la cuenta está bloqueada o sin crédito."),
    t("failover_6xx", "en",
      "{gw}: {y} calls retried on other gateways after a global failure ({codes})",
      "{y} of {x} {codes} answers from {gw} were followed by another attempt for the same caller and callee within {w} s.",
      "A 6xx means the call must not be tried anywhere else: stop failover on 6xx (take 600/603/604/606 out of the reroute codes)."),
    t("failover_6xx", "es",
      "{gw}: {y} llamadas reintentadas en otros gateways tras un fallo global ({codes})",
      "{y} de {x} respuestas {codes} de {gw} fueron seguidas por otro intento del mismo origen y destino en menos de {w} s.",
      "Un 6xx significa que la llamada no debe intentarse en ningún otro lado: detenga el failover ante 6xx (quite 600/603/604/606 de los códigos de reenrutamiento)."),
    t("failover_chain", "en",
      "{code} triggers long failover chains: {c} calls took {k} or more attempts",
      "{c} calls (same caller and callee, attempts within {w} s) took {k} or more attempts after a {code}, {extra} extra attempts in all; {x} attempts ended {code}.",
      "{advice}"),
    t("failover_chain", "es",
      "{code} provoca cadenas de failover largas: {c} llamadas con {k} o más intentos",
      "{c} llamadas (mismo origen y destino, intentos a menos de {w} s) tuvieron {k} o más intentos tras un {code}, {extra} intentos extra en total; {x} intentos terminaron con {code}.",
      "{advice}"),
    t("gw_busy", "en",
      "{gw}: {pct} of attempts are 486 Busy Here",
      "{x} of {n} attempts on {gw} ended 486 ({pct}; other gateways {base}); warning above 10 %, degraded above 20 %.",
      "Real busy callees rarely reach this share: check whether the vendor returns 486 for congestion or blocked numbers (ask for a SIP trace), and whether the same numbers are retried too fast."),
    t("gw_busy", "es",
      "{gw}: el {pct} de los intentos son 486 Busy Here",
      "{x} de {n} intentos en {gw} terminaron con 486 ({pct}; otros gateways {base}); advertencia sobre 10 %, degradado sobre 20 %.",
      "Los ocupados reales rara vez llegan a esta proporción: verifique si el proveedor devuelve 486 por congestión o números bloqueados (pida una traza SIP) y si los mismos números se reintentan demasiado rápido."),
    t("gw_cancel", "en",
      "{gw}: {pct} of attempts cancelled by the caller (487); PDD p95 {pdd} ms",
      "{x} of {n} attempts on {gw} ended 487 ({pct}; other gateways {base}); PDD p95 {pdd} ms against {bpdd} ms elsewhere.",
      "Callers give up before answer: long post-dial delay or no ringback (180/183, early media) on this route. Check PDD and early media, and compare with the other gateways."),
    t("gw_cancel", "es",
      "{gw}: el {pct} de los intentos cancelado por quien llama (487); PDD p95 {pdd} ms",
      "{x} de {n} intentos en {gw} terminaron con 487 ({pct}; otros gateways {base}); PDD p95 {pdd} ms frente a {bpdd} ms en los demás.",
      "Quienes llaman abandonan antes de la respuesta: demora post-marcación larga o sin tono de llamada (180/183, early media) en esta ruta. Revise el PDD y el early media, y compare con los demás gateways."),
    t("gw_pdd", "en",
      "{gw}: PDD p95 {p95} ms, {ratio}× the other gateways ({bp95} ms)",
      "{n} calls with a PDD on {gw}: p95 {p95} ms; the other gateways' p95 is {bp95} ms.",
      "Slow call setup on this vendor: ask for a shorter route, check DNS/SRV lookups and the vendor's own failover; long PDD makes callers abandon (487)."),
    t("gw_pdd", "es",
      "{gw}: PDD p95 {p95} ms, {ratio}× los demás gateways ({bp95} ms)",
      "{n} llamadas con PDD en {gw}: p95 {p95} ms; el p95 de los demás gateways es {bp95} ms.",
      "Establecimiento lento con este proveedor: pida una ruta más corta, revise las consultas DNS/SRV y el failover propio del proveedor; un PDD largo hace que quienes llaman abandonen (487)."),
    t("gw_sdr", "en",
      "{subject}: {pct} of answered calls last under {t} s (SDR)",
      "{x} of {a} answered calls via {subject} lasted under {t} s ({pct}); elsewhere {base}.",
      "Short calls at this rate point to false answer supervision (the vendor answers early, on ringback or announcements), robocall traffic or bad audio: listen to a sample, and check the vendor's answer signalling and the traffic's source."),
    t("gw_sdr", "es",
      "{subject}: el {pct} de las llamadas contestadas dura menos de {t} s (SDR)",
      "{x} de {a} llamadas contestadas por {subject} duraron menos de {t} s ({pct}); en el resto {base}.",
      "Tantas llamadas cortas apuntan a falsa supervisión de respuesta (el proveedor contesta antes, con tono o locuciones), tráfico de robollamadas o mal audio: escuche una muestra y revise la señalización de respuesta del proveedor y el origen del tráfico."),
    t("prefix_sdr", "en",
      "Destination {subject}: {pct} of answered calls last under {t} s (SDR)",
      "{x} of {a} answered calls to {subject} lasted under {t} s ({pct}); other destinations {base}.",
      "Short calls at this rate point to false answer supervision, robocall traffic or bad audio on this destination: find the gateways carrying them and listen to a sample."),
    t("prefix_sdr", "es",
      "Destino {subject}: el {pct} de las llamadas contestadas dura menos de {t} s (SDR)",
      "{x} de {a} llamadas contestadas a {subject} duraron menos de {t} s ({pct}); otros destinos {base}.",
      "Tantas llamadas cortas apuntan a falsa supervisión de respuesta, robollamadas o mal audio en este destino: identifique los gateways que las cursan y escuche una muestra."),
    t("gw_zero_answer", "en",
      "{gw}: {x} answered calls with zero duration",
      "{x} of {a} answered calls via {gw} have 0 s of talk time.",
      "Answered with 0 s: false answer supervision or CDR/billing errors. Check when the vendor sends 200 OK and how the switch rounds talk time."),
    t("gw_zero_answer", "es",
      "{gw}: {x} llamadas contestadas con duración cero",
      "{x} de {a} llamadas contestadas por {gw} tienen 0 s de conversación.",
      "Contestadas con 0 s: falsa supervisión de respuesta o errores de CDR/facturación. Revise cuándo envía el proveedor el 200 OK y cómo redondea el switch el tiempo de conversación."),
    t("gw_media", "en",
      "{gw}: {x} calls ended by media trouble ({codes})",
      "{x} of {n} attempts on {gw} ended {codes} ({pct}).",
      "RTP timeout or codec negotiation failure: compare codecs offered and accepted (488/606 mean no common codec), check media IPs and NAT (RTP sent to the right public address), the RTP timeout setting and the media proxy."),
    t("gw_media", "es",
      "{gw}: {x} llamadas terminadas por problemas de media ({codes})",
      "{x} de {n} intentos en {gw} terminaron con {codes} ({pct}).",
      "Timeout de RTP o fallo en la negociación de códecs: compare los códecs ofrecidos y aceptados (488/606 indican que no hay códec común), revise IPs de media y NAT (RTP hacia la dirección pública correcta), el timeout de RTP y el proxy de media."),
    t("change_code", "en",
      "{subject}: {code}s start at {time}",
      "From {time}{until}: {x} of {n} attempts via {subject} ended {code} ({pct}); before: {bx} of {bn} ({base}).",
      "Something changed at {time}: look for firewall, routing or vendor changes made then (a firewall change for 408s, capacity for 503s), and ask the vendor about that time."),
    t("change_code", "es",
      "{subject}: los {code} empiezan a las {time}",
      "Desde {time}{until}: {x} de {n} intentos por {subject} terminaron con {code} ({pct}); antes: {bx} de {bn} ({base}).",
      "Algo cambió a las {time}: busque cambios de firewall, de enrutamiento o del proveedor hechos en ese momento (un cambio de firewall para los 408, capacidad para los 503) y consulte al proveedor por ese horario."),
    t("change_asr", "en",
      "{subject}: ASR falls from {base} to {pct} at {time}",
      "From {time}{until}: {a} of {n} attempts via {subject} answered ({pct}); before: {ba} of {bn} ({base}).",
      "Something changed at {time}: compare the final codes before and after, and look for routing, firewall or vendor changes made then."),
    t("change_asr", "es",
      "{subject}: el ASR cae de {base} a {pct} a las {time}",
      "Desde {time}{until}: {a} de {n} intentos por {subject} contestados ({pct}); antes: {ba} de {bn} ({base}).",
      "Algo cambió a las {time}: compare los códigos finales antes y después y busque cambios de enrutamiento, firewall o del proveedor hechos en ese momento."),
    t("billing_zero_fee", "en",
      "{x} answered calls charged nothing",
      "{x} of {a} answered calls have a fee of 0 (first at line {line}).",
      "Answered calls without a charge lose money: check the customer's rate table for these destinations, free or bundle minutes, and the billing mode."),
    t("billing_zero_fee", "es",
      "{x} llamadas contestadas sin cobro",
      "{x} de {a} llamadas contestadas tienen tarifa 0 (la primera en la línea {line}).",
      "Las llamadas contestadas sin cobro pierden dinero: revise la tabla de tarifas del cliente para estos destinos, minutos gratis o de paquete y el modo de facturación."),
    t("billing_fee_unanswered", "en",
      "{x} unanswered calls were charged ({sum} in all)",
      "{x} calls without answer carry a fee, {sum} in all (first at line {line}).",
      "Customers are charged for calls that never connected: check the billing of setup or connection fees and whether the answer flag is right for these rows."),
    t("billing_fee_unanswered", "es",
      "{x} llamadas no contestadas fueron cobradas ({sum} en total)",
      "{x} llamadas sin respuesta tienen un cargo, {sum} en total (la primera en la línea {line}).",
      "Se cobra a los clientes por llamadas que nunca conectaron: revise el cobro de cargos de establecimiento y si la marca de respuesta es correcta en estas filas."),
    t("billing_drift", "en",
      "{x} fees differ from billed seconds × rate",
      "{x} of {m} charged answered calls differ from billed seconds × the rate of their customer and destination by more than half a unit at {d} decimals (first at line {line}).",
      "Rounding drift or a changed rate: check the billing increment and rounding mode, and whether the rate changed during the period."),
    t("billing_drift", "es",
      "{x} cargos no coinciden con segundos facturados × tarifa",
      "{x} de {m} llamadas contestadas cobradas difieren de segundos facturados × la tarifa de su cliente y destino en más de media unidad a {d} decimales (la primera en la línea {line}).",
      "Deriva de redondeo o una tarifa cambiada: revise el incremento de facturación y el modo de redondeo, y si la tarifa cambió durante el periodo."),
    t("capacity_limit", "en",
      "{gw} refuses with {codes} whenever it carries ≥ {t} calls: its channel limit is about {limit}",
      "{above} of {na} attempts that reached {gw} while it carried {t} or more calls were refused with {codes}, against {below} of {nb} below that (seen {x} times in {n} attempts, first at {time}); when refused it carried {limit} calls (median).",
      "A channel limit: ask the vendor to raise it, or cap this gateway's concurrency in the routing a little below {limit} so calls overflow to the next gateway instead of failing."),
    t("capacity_limit", "es",
      "{gw} rechaza con {codes} siempre que cursa ≥ {t} llamadas: su límite de canales es de unas {limit}",
      "{above} de {na} intentos que llegaron a {gw} mientras cursaba {t} o más llamadas fueron rechazados con {codes}, frente a {below} de {nb} por debajo (visto {x} veces en {n} intentos, la primera a las {time}); al rechazar cursaba {limit} llamadas (mediana).",
      "Un límite de canales: pida al proveedor que lo amplíe, o limite la concurrencia de este gateway en el enrutamiento algo por debajo de {limit} para que las llamadas pasen al siguiente gateway en vez de fallar."),
    t("cps_limit", "en",
      "{gw} refuses with {codes} whenever it receives more than {limit} attempts/s: its CPS limit is about {limit}",
      "In {sr} of the {s} seconds in which {gw} received clearly more than {limit} attempts, some were refused with {codes}: {above} of {na} attempts in seconds above {limit}, against {below} of {nb} in seconds with at most {t} (first at {time}); in the seconds with refusals it accepted {limit} attempts (median).",
      "A calls-per-second limit: ask the vendor to raise it, or cap this gateway's CPS in the routing a little below {limit} so attempts overflow to the next gateway instead of failing."),
    t("cps_limit", "es",
      "{gw} rechaza con {codes} siempre que recibe más de {limit} intentos/s: su límite de CPS es de unos {limit}",
      "En {sr} de los {s} segundos en que {gw} recibió claramente más de {limit} intentos, algunos fueron rechazados con {codes}: {above} de {na} intentos en segundos por encima de {limit}, frente a {below} de {nb} en segundos con {t} como mucho (la primera a las {time}); en los segundos con rechazos aceptó {limit} intentos (mediana).",
      "Un límite de llamadas por segundo: pida al proveedor que lo amplíe, o limite los CPS de este gateway en el enrutamiento algo por debajo de {limit} para que los intentos pasen al siguiente gateway en vez de fallar."),
    t("scanner", "en",
      "{gw}: SIP scanner or INVITE flood, {pct} of attempts refused with {codes}",
      "{x} of {n} attempts from {gw} were refused with {codes} ({pct}), to {d} different caller–callee pairs, {a} answered; up to {m} attempts in one minute (at {time}).",
      "Block the source (iptables -I INPUT -s <IP> -j DROP), whitelist your known gateways and customers first, check the firewall rules and that SIP is not open to the whole internet, and change any password that may have been guessed."),
    t("scanner", "es",
      "{gw}: escáner SIP o inundación de INVITE, el {pct} de los intentos rechazado con {codes}",
      "{x} de {n} intentos desde {gw} fueron rechazados con {codes} ({pct}), hacia {d} pares origen–destino distintos, {a} contestados; hasta {m} intentos en un minuto (a las {time}).",
      "Bloquee el origen (iptables -I INPUT -s <IP> -j DROP), ponga antes en la lista blanca sus gateways y clientes conocidos, revise las reglas del firewall y que SIP no esté abierto a todo internet, y cambie cualquier contraseña que pueda haber sido adivinada."),
    t("toll_fraud", "en",
      "{gw}: possible toll fraud, {a} answered calls to new destinations {prefix}",
      "From {time}, {gw} sent {n} calls ({a} answered) to {prefix}, destinations it had not called before in the data; up to {p} of them at once, {off} outside its usual hours.",
      "Suspend the account or block these destinations now, change its SIP password, check where the calls came from (IP), and restrict the account to the destinations it needs."),
    t("toll_fraud", "es",
      "{gw}: posible fraude, {a} llamadas contestadas a destinos nuevos {prefix}",
      "Desde las {time}, {gw} envió {n} llamadas ({a} contestadas) a {prefix}, destinos que no había llamado antes en los datos; hasta {p} a la vez, {off} fuera de su horario habitual.",
      "Suspenda la cuenta o bloquee esos destinos ya, cambie su contraseña SIP, revise desde dónde llegaron las llamadas (IP) y restrinja la cuenta a los destinos que necesita."),
];

/// Advice texts used inside other templates (`{advice}`), per key and language.
pub const ADVICE: &[(&str, &str, &str)] = &[
    ("unrouted_vos", "en", "check the routing for these numbers (NoAvailableRouter), gateways all busy or at their line limits (AllGatewayBusy), the customer's balance (AccountBalanceNotEnough) and account locks. VOS3000 -69 is an undocumented server-side reason: open the rows in the VOS client to see the text."),
    ("unrouted_vos", "es", "revise el enrutamiento de estos números (NoAvailableRouter), gateways todos ocupados o en su límite de líneas (AllGatewayBusy), el saldo del cliente (AccountBalanceNotEnough) y cuentas bloqueadas. El -69 de VOS3000 es un motivo interno no documentado: abra las filas en el cliente VOS para ver el texto."),
    ("unrouted_other", "en", "check the dial plan or routing for these numbers (a pattern that matches no trunk), trunks or channels all in use, and the caller's permissions (class of service, calling search space); the rows' code says which."),
    ("unrouted_other", "es", "revise el plan de marcación o el enrutamiento de estos números (un patrón que no lleva a ninguna troncal), troncales o canales todos ocupados y los permisos de quien llama (clase de servicio, calling search space); el código de las filas dice cuál."),
    ("busy_stop", "en", "A busy callee stays busy on every route: stop rerouting on 486 (busy-stop), or map 486 with Replace Failed Reason so the caller hears busy at once."),
    ("busy_stop", "es", "Un destino ocupado lo está en todas las rutas: no reenrute ante 486 (busy-stop), o mapee el 486 con Replace Failed Reason para que quien llama oiga ocupado de inmediato."),
    ("unavailable_chain", "en", "Each 503 sends the call down the whole route list: cap the reroute count, take the failing gateway out of the list, or use Replace Failed Reason to stop on this code."),
    ("unavailable_chain", "es", "Cada 503 manda la llamada por toda la lista de rutas: limite la cantidad de reenrutamientos, quite el gateway que falla de la lista o use Replace Failed Reason para detenerse ante este código."),
];

/// Fills `{name}` placeholders from `params`; unknown names stay as they are.
pub fn fill(template: &str, params: &[(&str, String)]) -> String {
    let mut out = String::with_capacity(template.len() + 32);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find('}') {
            Some(close) => {
                let key = &after[..close];
                match params.iter().find(|(k, _)| *k == key) {
                    Some((_, v)) => out.push_str(v),
                    None => {
                        out.push('{');
                        out.push_str(key);
                        out.push('}');
                    }
                }
                rest = &after[close + 1..];
            }
            None => {
                out.push_str(&rest[open..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

/// A parameter's value, written per language when the texts are rendered.
#[derive(Clone, Debug, PartialEq)]
pub enum Shown {
    /// Words that are the same in every language (a gateway, a code, a list of prefixes).
    Text(String),
    /// A count. English keeps the digits ungrouped as the CLI always wrote them; other
    /// languages group thousands as the page does.
    Int(u64),
    /// A 0..1 ratio, as a percentage with one decimal.
    Share(f64),
    /// A number with this many decimals.
    Fixed(f64, usize),
    /// An exact decimal already written with a full stop (money): other languages swap the mark.
    Decimal(String),
    /// Different words per language (`(lang, text)`), English first as the fallback.
    Words(Vec<(&'static str, String)>),
}

impl Shown {
    /// The value as written in `lang`.
    pub fn show(&self, lang: &str) -> String {
        use crate::display;
        let en = lang == "en";
        match self {
            Shown::Text(s) => s.clone(),
            Shown::Int(n) if en => n.to_string(),
            Shown::Int(n) => display::int(*n, lang),
            Shown::Share(r) if en => pct(*r),
            Shown::Share(r) => display::percent(Some(*r), lang),
            Shown::Fixed(x, places) if en => format!("{x:.places$}"),
            Shown::Fixed(x, places) => display::dec(*x, *places, lang),
            Shown::Decimal(s) if en => s.clone(),
            Shown::Decimal(s) => display::decimal(s, lang),
            Shown::Words(words) => words
                .iter()
                .find(|(l, _)| *l == lang)
                .or(words.first())
                .map(|(_, s)| s.clone())
                .unwrap_or_default(),
        }
    }
}

/// Renders a rule's texts in every language the table has for it; `params` gives the
/// parameters as written in a language.
pub fn render<'a>(
    rule: &str,
    params: impl Fn(&str) -> Vec<(&'a str, String)>,
    advice: Option<&str>,
) -> Vec<LocalText> {
    LANGS
        .iter()
        .filter_map(|lang| {
            let tpl = TEXTS.iter().find(|t| t.rule == rule && t.lang == *lang)?;
            let mut p = params(lang);
            if let Some(key) = advice {
                let text = ADVICE
                    .iter()
                    .find(|(k, l, _)| *k == key && l == lang)
                    .or_else(|| ADVICE.iter().find(|(k, l, _)| *k == key && *l == "en"))
                    .map(|(_, _, s)| s.to_string())
                    .unwrap_or_default();
                p.push(("advice", text));
            }
            Some(LocalText {
                lang: lang.to_string(),
                title: fill(tpl.title, &p),
                evidence: fill(tpl.evidence, &p),
                action: fill(tpl.action, &p),
            })
        })
        .collect()
}

/// A share as a percentage with one decimal (`51.6%`).
pub fn pct(x: f64) -> String {
    format!("{:.1}%", x * 100.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_rule_has_every_language() {
        for tpl in TEXTS {
            for lang in LANGS {
                assert!(
                    TEXTS.iter().any(|t| t.rule == tpl.rule && t.lang == *lang),
                    "{} has no {lang} text",
                    tpl.rule
                );
            }
        }
        for (key, _, _) in ADVICE {
            for lang in LANGS {
                assert!(ADVICE.iter().any(|(k, l, _)| k == key && l == lang));
            }
        }
    }

    #[test]
    fn numbers_are_written_per_language() {
        let cases = [
            (Shown::Int(240_000), "240000", "240.000"),
            (Shown::Share(0.552), "55.2%", "55,2%"),
            (Shown::Fixed(2.26, 1), "2.3", "2,3"),
            (Shown::Decimal("12.500".into()), "12.500", "12,500"),
            (Shown::Text("10.0.0.1".into()), "10.0.0.1", "10.0.0.1"),
            (
                Shown::Words(vec![
                    ("en", " to 14:00".into()),
                    ("es", " hasta las 14:00".into()),
                ]),
                " to 14:00",
                " hasta las 14:00",
            ),
            (Shown::Words(vec![("en", String::new())]), "", ""),
        ];
        for (v, en, es) in cases {
            assert_eq!(
                (v.show("en").as_str(), v.show("es").as_str()),
                (en, es),
                "{v:?}"
            );
        }
    }

    #[test]
    fn fills_placeholders() {
        assert_eq!(
            fill(
                "{gw}: {x} of {n} {unknown} {",
                &[("gw", "GW".into()), ("x", "3".into()), ("n", "9".into())]
            ),
            "GW: 3 of 9 {unknown} {"
        );
    }
}
