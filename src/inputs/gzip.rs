//! `.gz`: decompressed chunk by chunk; the inner file is dispatched again by name and magic.

use super::Ctx;
use crate::reject::IngestError;
use flate2::read::MultiGzDecoder;
use std::io::Read;

/// Reads a gzip stream: several members (as `cat a.gz b.gz` makes) are one stream, the way
/// `gunzip` reads them. A corrupt or cut stream ends the file with an error after the rows
/// decoded before it.
pub(crate) fn read(
    ctx: &mut Ctx<'_>,
    name: &str,
    container: &str,
    src: &mut dyn Read,
    size: u64,
) -> Result<(), IngestError> {
    let mut decoder = MultiGzDecoder::new(src);
    ctx.stream(name, container, &mut decoder, size)
}
