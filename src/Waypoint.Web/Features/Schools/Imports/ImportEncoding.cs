using System.Text;
using System.Text.RegularExpressions;

namespace Waypoint.Features.Schools.Imports;

/// <summary>A file whose bytes are not text in the encoding it must be in; the message says where and why.</summary>
internal sealed class ImportEncodingException(int? line, string message) : Exception(message)
{
    public int? Line { get; } = line;
}

/// <summary>
/// Checks that import files are the text they claim to be. A spreadsheet saved as "CSV" rather
/// than "CSV UTF-8", or a CTF written by an old system in Windows-1252 but declared UTF-8, would
/// otherwise turn every accented name into replacement characters that no one notices until the
/// register is full of them.
/// </summary>
internal static partial class ImportEncoding
{
    static ImportEncoding()
    {
        // Windows-1252 is the usual encoding of older school systems; .NET knows it only through this provider.
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
    }

    public static ReadOnlySpan<byte> Utf8Bom => [0xEF, 0xBB, 0xBF];
    public static ReadOnlySpan<byte> Utf16LittleEndianBom => [0xFF, 0xFE];
    public static ReadOnlySpan<byte> Utf16BigEndianBom => [0xFE, 0xFF];

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Where a file's bytes are not UTF-8, or null when they all are.</summary>
    public static (int Line, byte Byte)? FindInvalidUtf8(ReadOnlySpan<byte> bytes)
    {
        if (System.Text.Unicode.Utf8.IsValid(bytes))
            return null;
        var offset = 0;
        while (Rune.DecodeFromUtf8(bytes[offset..], out _, out var consumed) == System.Buffers.OperationStatus.Done)
            offset += consumed;
        return (bytes[..offset].Count((byte)'\n') + 1, bytes[offset]);
    }

    /// <summary>
    /// Checks an XML file's bytes against the encoding it declares (or UTF-8, which XML assumes
    /// when it declares none) and returns what is wrong, or null. XmlReader alone would either
    /// fail with "Invalid character in the given encoding" or, for single-byte encodings such as
    /// US-ASCII, quietly turn bad bytes into question marks.
    /// </summary>
    public static ImportEncodingException? CheckXml(ReadOnlySpan<byte> bytes)
    {
        if (bytes.StartsWith(Utf8Bom))
            return Check(bytes, 3, StrictUtf8, "The file starts with a UTF-8 byte-order mark, so it must be UTF-8");
        if (bytes.StartsWith(Utf16LittleEndianBom) || bytes.StartsWith(Utf16BigEndianBom))
        {
            var bigEndian = bytes[0] == 0xFE;
            return Check(bytes, 2, new UnicodeEncoding(bigEndian, byteOrderMark: false, throwOnInvalidBytes: true), "The file starts with a UTF-16 byte-order mark, so it must be UTF-16");
        }
        if (bytes.StartsWith("<\0"u8) || bytes.StartsWith("\0<"u8))
            return null; // UTF-16 without a byte-order mark: XmlReader detects it and reports what is wrong itself.

        var declared = DeclaredEncoding(bytes);
        if (declared is null)
            return Check(bytes, 0, StrictUtf8, "The file does not declare an encoding, so it must be UTF-8");

        Encoding encoding;
        try
        {
            encoding = Encoding.GetEncoding(declared, EncoderFallback.ExceptionFallback, DecoderFallback.ExceptionFallback);
        }
        catch (ArgumentException)
        {
            return new ImportEncodingException(1, $"The file declares the encoding \"{declared}\", which is not one Waypoint can read. Save it as UTF-8.");
        }
        if (encoding is UnicodeEncoding or UTF32Encoding)
            return null; // Declared UTF-16 or UTF-32 but written in an ASCII-compatible encoding: XmlReader refuses that itself.
        return Check(bytes, 0, encoding is UTF8Encoding ? StrictUtf8 : encoding, $"The file declares that it is {declared}");
    }

    private static ImportEncodingException? Check(ReadOnlySpan<byte> bytes, int start, Encoding strict, string claim)
    {
        var content = bytes[start..];
        if (strict is UTF8Encoding)
        {
            if (FindInvalidUtf8(content) is not { } invalid)
                return null;
            return new ImportEncodingException(invalid.Line,
                $"{claim}, but line {invalid.Line} has a byte ({invalid.Byte:X2}) that is not UTF-8. The file was probably saved as Windows-1252 or ISO-8859-1 (Latin-1): save it again as UTF-8, or declare the encoding it really uses.");
        }
        try
        {
            strict.GetCharCount(content);
            return null;
        }
        catch (DecoderFallbackException e)
        {
            var index = Math.Clamp(e.Index, 0, content.Length);
            var lenient = Encoding.GetEncoding(strict.CodePage);
            var line = lenient.GetString(content[..index]).Count(c => c == '\n') + 1;
            var bad = e.BytesUnknown is { Length: > 0 } unknown ? $" ({Convert.ToHexString(unknown)})" : "";
            return new ImportEncodingException(line, $"{claim}, but line {line} has bytes{bad} that are not valid in that encoding. Save the file again in the encoding it declares, or as UTF-8.");
        }
    }

    /// <summary>The encoding named in the XML declaration, read as ASCII (which every encoding a declaration can be read in agrees with).</summary>
    private static string? DeclaredEncoding(ReadOnlySpan<byte> bytes)
    {
        if (!bytes.StartsWith("<?xml"u8))
            return null;
        var window = bytes[..Math.Min(bytes.Length, 512)];
        var end = window.IndexOf("?>"u8);
        if (end < 0)
            return null;
        var declaration = Encoding.ASCII.GetString(window[..end]);
        var match = EncodingAttribute().Match(declaration);
        return match.Success ? match.Groups[1].Value : null;
    }

    [GeneratedRegex("""encoding\s*=\s*["']([A-Za-z][A-Za-z0-9._:-]*)["']""")]
    private static partial Regex EncodingAttribute();
}

/// <summary>
/// Passes a CSV file's bytes through to the CSV reader while checking that they are UTF-8, so a
/// file of any size is checked without being held in memory twice.
/// </summary>
internal sealed class Utf8CheckingStream(Stream inner) : Stream
{
    private readonly Decoder decoder = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetDecoder();

    // Decoding (not just counting, which leaves the decoder's state alone) carries a character split between reads into the next.
    private char[] chars = [];
    private long position;
    private int line = 1;

    public override int Read(Span<byte> buffer)
    {
        var read = inner.Read(buffer);
        Check(buffer[..read], final: read == 0);
        return read;
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await inner.ReadAsync(buffer, cancellationToken);
        Check(buffer.Span[..read], final: read == 0);
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    private void Check(ReadOnlySpan<byte> chunk, bool final)
    {
        if (position == 0 && !chunk.IsEmpty)
            CheckStart(chunk);
        try
        {
            if (chars.Length < chunk.Length + 1)
                chars = new char[chunk.Length + 1];
            decoder.GetChars(chunk, chars, flush: final);
        }
        catch (DecoderFallbackException e)
        {
            var index = Math.Clamp(e.Index, 0, chunk.Length);
            var at = line + chunk[..index].Count((byte)'\n');
            var bad = e.BytesUnknown is { Length: > 0 } unknown ? $" ({Convert.ToHexString(unknown)})" : "";
            throw new ImportEncodingException(at,
                $"Line {at} has bytes{bad} that are not UTF-8. The file was probably saved as \"CSV\" (Windows-1252) rather than \"CSV UTF-8\": save it again as CSV UTF-8.");
        }
        var nul = chunk.IndexOf((byte)0);
        if (nul >= 0)
        {
            var at = line + chunk[..nul].Count((byte)'\n');
            throw new ImportEncodingException(at, $"Line {at} contains a NUL character, so this is not a UTF-8 text file (it may be UTF-16, or a spreadsheet). Save it as CSV UTF-8.");
        }
        line += chunk.Count((byte)'\n');
        position += chunk.Length;
    }

    private static void CheckStart(ReadOnlySpan<byte> chunk)
    {
        if (chunk.StartsWith(ImportEncoding.Utf16LittleEndianBom) || chunk.StartsWith(ImportEncoding.Utf16BigEndianBom))
            throw new ImportEncodingException(1, "The file is UTF-16 (\"Unicode text\"), not UTF-8. Save it as CSV UTF-8.");
        if (chunk.StartsWith("PK\x03\x04"u8))
            throw new ImportEncodingException(null, "This is a spreadsheet workbook (such as .xlsx), not a CSV file. Save it as CSV UTF-8.");
    }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => position;
        set => throw new NotSupportedException();
    }

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
