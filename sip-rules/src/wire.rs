//! A lenient walk over the head of a SIP message, for writing responses and forwarding
//! requests: it finds the start line and each header field (with its continuation lines) and
//! remembers where each lies in the buffer, without judging the values. The strict tokenizer
//! is [`parse_request`](crate::parse_request); this walk also reads messages it refused, so that
//! they can be answered.

use crate::class::{eq_lower, find, is_token, trim};

/// One header field as it lies in the buffer.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Field<'a> {
    /// The name before the colon, trimmed (empty for a line without a colon).
    pub(crate) name: &'a [u8],
    /// The value after the colon, trimmed, continuation lines included.
    pub(crate) value: &'a [u8],
    /// Whether the line holds a colon after a non-empty token name.
    pub(crate) well_formed: bool,
    /// Offset of the field's first byte.
    pub(crate) start: usize,
    /// Offset after the line end of the field's last line.
    pub(crate) end: usize,
}

/// The line of `buf` that starts at `at`: its content without the line end, and the offset
/// after its line end (the end of the buffer for a last line without one).
fn line_at(buf: &[u8], at: usize) -> Option<(&[u8], usize)> {
    let rest = buf.get(at..)?;
    if rest.is_empty() {
        return None;
    }
    Some(match find(rest, b'\n') {
        Some(n) => {
            let line = rest.get(..n).unwrap_or_default();
            (line.strip_suffix(b"\r").unwrap_or(line), at + n + 1)
        }
        None => (rest, buf.len()),
    })
}

/// The start line (leading empty lines skipped) and the offset after it.
pub(crate) fn start_line(buf: &[u8]) -> Option<(&[u8], usize)> {
    let mut at = 0;
    loop {
        let (line, next) = line_at(buf, at)?;
        if !line.is_empty() {
            return Some((line, next));
        }
        at = next;
    }
}

/// The header fields after the start line, up to the empty line or the end of the buffer.
pub(crate) struct Fields<'a> {
    buf: &'a [u8],
    at: usize,
    /// Offset after the empty line that ends the head, once reached.
    pub(crate) body: Option<usize>,
}

impl<'a> Fields<'a> {
    /// The fields of `buf` from offset `at` (after the start line) on.
    pub(crate) fn new(buf: &'a [u8], at: usize) -> Self {
        Self {
            buf,
            at,
            body: None,
        }
    }
}

impl<'a> Iterator for Fields<'a> {
    type Item = Field<'a>;

    fn next(&mut self) -> Option<Field<'a>> {
        if self.body.is_some() {
            return None;
        }
        let start = self.at;
        let (line, mut end) = line_at(self.buf, start)?;
        if line.is_empty() {
            self.body = Some(end);
            self.at = end;
            return None;
        }
        // Continuation lines: each starts with white space.
        let mut last_end = start + line.len();
        while let Some(b' ' | b'\t') = self.buf.get(end) {
            let Some((more, next)) = line_at(self.buf, end) else {
                break;
            };
            last_end = end + more.len();
            end = next;
        }
        self.at = end;
        let text = self.buf.get(start..last_end).unwrap_or_default();
        let (name, value, well_formed) = match find(text, b':') {
            Some(colon) => {
                let name = trim(text.get(..colon).unwrap_or_default());
                let value = trim(text.get(colon + 1..).unwrap_or_default());
                let ok = !name.is_empty() && name.iter().all(|&b| is_token(b));
                (name, value, ok)
            }
            None => (b"".as_slice(), b"".as_slice(), false),
        };
        Some(Field {
            name,
            value,
            well_formed,
            start,
            end,
        })
    }
}

/// Whether `value` can be copied into another message as it is: no control byte but HT, and
/// line breaks only as folding (CR LF or LF, then white space).
pub(crate) fn copyable(value: &[u8]) -> bool {
    let mut rest = value;
    while let Some((&b, tail)) = rest.split_first() {
        match b {
            b'\t' | 0x20..=0x7e | 0x80..=0xff => rest = tail,
            b'\r' => match tail {
                [b'\n', b' ' | b'\t', ..] => rest = tail,
                _ => return false,
            },
            b'\n' => match tail {
                [b' ' | b'\t', ..] => rest = tail,
                _ => return false,
            },
            _ => return false,
        }
    }
    !value.is_empty()
}

/// The method of a request line, `None` for a status line or a line without a method token.
pub(crate) fn method(line: &[u8]) -> Option<&[u8]> {
    if line.starts_with(b"SIP/") {
        return None;
    }
    let method = line.split(|&b| b == b' ').next()?;
    (!method.is_empty() && method.iter().all(|&b| is_token(b))).then_some(method)
}

/// The bytes of `value` outside quoted strings (RFC 3261 `quoted-string`, `\\` escapes included),
/// with their offsets; the quotes themselves are left out.
fn unquoted(value: &[u8]) -> impl Iterator<Item = (usize, u8)> + '_ {
    let mut quoted = false;
    let mut escaped = false;
    value.iter().enumerate().filter_map(move |(i, &b)| {
        if quoted {
            match (escaped, b) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => quoted = false,
                _ => {}
            }
            None
        } else if b == b'"' {
            quoted = true;
            None
        } else {
            Some((i, b))
        }
    })
}

/// Splits a header value at its first comma outside quotes and angle brackets: the first
/// element and the rest after the comma (`None` when there is a single element).
pub(crate) fn first_element(value: &[u8]) -> (&[u8], Option<&[u8]>) {
    let mut angle = false;
    for (i, b) in unquoted(value) {
        match b {
            b'<' => angle = true,
            b'>' => angle = false,
            b',' if !angle => {
                let head = trim(value.get(..i).unwrap_or_default());
                let tail = trim(value.get(i + 1..).unwrap_or_default());
                return (head, Some(tail));
            }
            _ => {}
        }
    }
    (value, None)
}

/// The header parameters of a name-addr or addr-spec value (`From`, `To`): what follows the
/// closing `>`, or, without angle brackets, what follows the first `;` (RFC 3261 §20.10).
pub(crate) fn header_params(value: &[u8]) -> &[u8] {
    for (i, b) in unquoted(value) {
        match b {
            b'<' => {
                let rest = value.get(i..).unwrap_or_default();
                return match find(rest, b'>') {
                    Some(close) => rest.get(close + 1..).unwrap_or_default(),
                    None => b"",
                };
            }
            b';' => return value.get(i..).unwrap_or_default(),
            _ => {}
        }
    }
    b""
}

/// The value of parameter `name` (lowercase) in a `;`-separated parameter list; `Some(b"")` for
/// a parameter without a value.
pub(crate) fn param<'a>(params: &'a [u8], name: &[u8]) -> Option<&'a [u8]> {
    params.split(|&b| b == b';').skip(1).find_map(|p| {
        let (n, v) = match find(p, b'=') {
            Some(eq) => (
                p.get(..eq).unwrap_or_default(),
                trim(p.get(eq + 1..).unwrap_or_default()),
            ),
            None => (p, b"".as_slice()),
        };
        eq_lower(trim(n), name).then_some(v)
    })
}

/// The parameters of a Via value after its sent-by: everything from the first `;`.
pub(crate) fn via_params(via: &[u8]) -> &[u8] {
    match find(via, b';') {
        Some(semi) => via.get(semi..).unwrap_or_default(),
        None => b"",
    }
}

/// A 64-bit FNV-1a hash, continued from `state` over `bytes`.
pub(crate) const fn fnv1a(mut state: u64, bytes: &[u8]) -> u64 {
    let mut rest = bytes;
    while let Some((&b, tail)) = rest.split_first() {
        state ^= b as u64;
        state = state.wrapping_mul(0x0100_0000_01b3);
        rest = tail;
    }
    state
}

/// The FNV-1a offset basis.
pub(crate) const FNV_BASIS: u64 = 0xcbf2_9ce4_8422_2325;

/// `x` as sixteen lowercase hexadecimal digits.
pub(crate) fn hex16(x: u64) -> [u8; 16] {
    let mut out = [b'0'; 16];
    for (i, slot) in out.iter_mut().enumerate() {
        let nibble = (x >> (60 - 4 * i)) & 0xf;
        *slot = b"0123456789abcdef"
            .get(usize::try_from(nibble).unwrap_or(0))
            .copied()
            .unwrap_or(b'0');
    }
    out
}

/// A caller buffer written front to back. Writes past its end are counted, not made, so that
/// the length a message needs is known even when it does not fit.
pub(crate) struct Out<'o> {
    buf: &'o mut [u8],
    len: usize,
}

impl<'o> Out<'o> {
    pub(crate) fn new(buf: &'o mut [u8]) -> Self {
        Self { buf, len: 0 }
    }

    pub(crate) fn put(&mut self, bytes: &[u8]) {
        let end = self.len.saturating_add(bytes.len());
        if let Some(dst) = self.buf.get_mut(self.len..end) {
            dst.copy_from_slice(bytes);
        }
        self.len = end;
    }

    /// `n` in decimal.
    pub(crate) fn put_u64(&mut self, mut n: u64) {
        let mut digits = [0u8; 20];
        let mut i = digits.len();
        loop {
            i -= 1;
            if let Some(d) = digits.get_mut(i) {
                *d = b'0' + u8::try_from(n % 10).unwrap_or(0);
            }
            n /= 10;
            if n == 0 || i == 0 {
                break;
            }
        }
        self.put(digits.get(i..).unwrap_or_default());
    }

    /// The length written, or the length needed when the buffer is too small.
    pub(crate) fn finish(self) -> Result<usize, usize> {
        if self.len <= self.buf.len() {
            Ok(self.len)
        } else {
            Err(self.len)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{Fields, copyable, first_element, header_params, hex16, param, start_line};

    #[test]
    fn fields_with_folding_and_bare_lf() {
        let msg = b"\r\nINVITE sip:a@b SIP/2.0\r\nVia: a,\r\n b\nTo: x\r\nbroken\r\n\r\nbody";
        let (line, at) = start_line(msg).unwrap();
        assert_eq!(line, b"INVITE sip:a@b SIP/2.0");
        let mut fields = Fields::new(msg, at);
        let via = fields.next().unwrap();
        assert_eq!((via.name, via.value), (&b"Via"[..], &b"a,\r\n b"[..]));
        assert_eq!(&msg[via.start..via.end], b"Via: a,\r\n b\n");
        let to = fields.next().unwrap();
        assert_eq!(to.value, b"x");
        assert!(!fields.next().unwrap().well_formed);
        assert!(fields.next().is_none());
        assert_eq!(&msg[fields.body.unwrap()..], b"body");
    }

    #[test]
    fn values_params_and_hex() {
        assert!(copyable(b"a,\r\n b"));
        assert!(!copyable(b"a\rb"));
        assert!(!copyable(b"a\n"));
        assert!(!copyable(b""));
        assert_eq!(
            first_element(b"<sip:a,b>;x, c"),
            (&b"<sip:a,b>;x"[..], Some(&b"c"[..]))
        );
        assert_eq!(
            first_element(b"\"a,\\\"b\" <x>"),
            (&b"\"a,\\\"b\" <x>"[..], None)
        );
        assert_eq!(header_params(b"\"B;tag=1\" <sip:b;tag=2>;tag=3"), b";tag=3");
        assert_eq!(header_params(b"sip:b@h;tag=4"), b";tag=4");
        assert_eq!(param(b";x;TAG = 5", b"tag"), Some(&b"5"[..]));
        assert_eq!(param(b";rport", b"rport"), Some(&b""[..]));
        assert_eq!(&hex16(0x0123_4567_89ab_cdef), b"0123456789abcdef");
    }
}
