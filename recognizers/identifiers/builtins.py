"""Language vocabulary the grammars do not list as keywords: primitive types, contextual keywords,
preprocessor directives and the C standard library. The tree-sitter grammars give these as the
text of a named node (``primitive_type``, ``preproc_directive``), so they are missing from the
node kinds :func:`recognizers.code.vocabulary.programming_words` learns from; a name here is
never a private definition and never has a word replaced inside it.
"""

from __future__ import annotations

import re

_RUST = """
    u8 u16 u32 u64 u128 usize i8 i16 i32 i64 i128 isize f32 f64 bool char str String Vec Box
    Option Some None Result Ok Err Rc Arc RefCell Cell HashMap HashSet BTreeMap BTreeSet VecDeque
    Self self crate super dyn impl async await move unsafe where macro_rules println eprintln
    format vec panic assert assert_eq assert_ne debug_assert unreachable unimplemented todo
    write writeln matches cfg derive Debug Clone Copy Default PartialEq Eq PartialOrd Ord Hash
    Display Send Sync Sized Drop Iterator IntoIterator From Into TryFrom TryInto AsRef AsMut
    Deref DerefMut Fn FnMut FnOnce Future Pin PhantomData Cow
"""
_CSHARP = """
    nameof typeof sizeof default checked unchecked stackalloc nint nuint dynamic var async await
    yield partial record init required managed unmanaged notnull global alias ascending
    descending equals orderby select where group into join let value get set add remove args
    string object decimal sbyte byte ushort uint ulong short long float double bool char void
    Task ValueTask Func Action IEnumerable IEnumerator IDisposable Span ReadOnlySpan Console
    ArgumentNullException ArgumentException InvalidOperationException NotSupportedException
    Dictionary List HashSet
"""
_C = """
    ifdef ifndef endif elif else define undef include pragma error warning line defined
    size_t ssize_t ptrdiff_t intptr_t uintptr_t int8_t int16_t int32_t int64_t uint8_t uint16_t
    uint32_t uint64_t wchar_t bool true false NULL nullptr FILE EOF stdin stdout stderr errno
    printf fprintf sprintf snprintf vprintf vfprintf vsnprintf scanf sscanf fscanf puts fputs
    fgets getc fgetc putc fputc putchar getchar fopen fclose fread fwrite fflush fseek ftell
    rewind perror malloc calloc realloc free memcpy memmove memset memcmp memchr strlen strcpy
    strncpy strcat strncat strcmp strncmp strchr strrchr strstr strdup strndup strtok strtol
    strtoul strtod atoi atol atof abs labs exit abort atexit getenv system qsort bsearch rand
    srand time clock sleep usleep assert isalpha isdigit isspace isupper islower toupper tolower
    sizeof offsetof va_list va_start va_end va_arg stdio stdlib string unistd stddef stdint
    stdbool errno signal pthread std cout cerr endl
"""
_BY_LANGUAGE = {"rust": _RUST, "csharp": _CSHARP, "c": _C, "cpp": _C}
_ALL = frozenset(w for text in _BY_LANGUAGE.values() for w in text.split())
# the DOM's element interfaces, global in every browser script: HTMLUListElement
_DOM = re.compile(r"(?:HTML|SVG|MathML)[A-Z][A-Za-z]*Element|HTMLElement|SVGElement")


def is_builtin(name: str) -> bool:
    """A primitive type, contextual keyword, directive, C library name or DOM interface of any
    language (the language a bare snippet is guessed as can be wrong, and none of these is a
    company's)."""
    return name in _ALL or (name[:1] in "HSM" and _DOM.fullmatch(name) is not None)

