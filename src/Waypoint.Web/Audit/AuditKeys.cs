using System.Security.Cryptography;
using System.Text;

namespace Waypoint.Audit;

/// <summary>One HMAC key; its id (a digest of the key, never the key) is written into every hash it makes.</summary>
public sealed class AuditKey
{
    private readonly byte[] secret;

    public AuditKey(byte[] secret)
    {
        if (secret.Length < 32)
            throw new ArgumentException("An audit key has at least 32 bytes.", nameof(secret));
        this.secret = secret;
        Id = Convert.ToHexStringLower(SHA256.HashData([.. "waypoint-audit-key-id:"u8, .. secret]))[..8];
    }

    public string Id { get; }

    public byte[] Mac(string canonical) => HMACSHA256.HashData(secret, Encoding.UTF8.GetBytes(canonical));

    public static AuditKey FromBase64(string value) => new(Convert.FromBase64String(value.Trim()));
}

/// <summary>How a stored hash compares with the content it claims to cover.</summary>
public enum KeyedHashCheck
{
    Valid,
    Mismatch,
    UnknownKey,
    NotKeyed,
}

/// <summary>
/// The audit keys this server holds: the current one signs, every one verifies. Read from
/// <c>Audit:Key</c> (and <c>Audit:PreviousKeys</c>) or else from a key file outside the database,
/// generated once; a rotation adds a line to the file (or moves the old key to PreviousKeys).
/// </summary>
public sealed class AuditKeys
{
    /// <summary>Keyed hashes look like <c>h1.1a2b3c4d.&lt;43 base64url characters&gt;</c> (55 characters, within the column's 64).</summary>
    public const string Prefix = "h1.";

    private readonly Dictionary<string, AuditKey> byId;

    public AuditKeys(AuditKey current, IEnumerable<AuditKey> previous)
    {
        Current = current;
        byId = previous.Append(current).ToDictionary(k => k.Id);
    }

    public AuditKey Current { get; }

    public IReadOnlyCollection<string> KeyIds => byId.Keys;

    public string Sign(string canonical) => $"{Prefix}{Current.Id}.{Base64Url(Current.Mac(canonical))}";

    public KeyedHashCheck Check(string stored, string canonical)
    {
        if (!stored.StartsWith(Prefix, StringComparison.Ordinal) || stored.Length < Prefix.Length + 10 || stored[Prefix.Length + 8] != '.')
            return KeyedHashCheck.NotKeyed;
        var id = stored.Substring(Prefix.Length, 8);
        if (!byId.TryGetValue(id, out var key))
            return KeyedHashCheck.UnknownKey;
        var expected = Encoding.ASCII.GetBytes($"{Prefix}{id}.{Base64Url(key.Mac(canonical))}");
        return CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(stored)) ? KeyedHashCheck.Valid : KeyedHashCheck.Mismatch;
    }

    /// <summary>The key id written into a keyed hash, or null for an unkeyed one.</summary>
    public static string? KeyIdOf(string stored) =>
        stored.StartsWith(Prefix, StringComparison.Ordinal) && stored.Length > Prefix.Length + 8 ? stored.Substring(Prefix.Length, 8) : null;

    public AuditKey? Find(string id) => byId.GetValueOrDefault(id);

    public static AuditKeys Load(AuditOptions options, string dataFolder)
    {
        var previous = options.PreviousKeys.Select(AuditKey.FromBase64).ToList();
        if (!string.IsNullOrWhiteSpace(options.Key))
            return new AuditKeys(AuditKey.FromBase64(options.Key), previous);
        var path = options.KeyFile ?? Path.Combine(dataFolder, "audit.key");
        var lines = ReadOrCreate(path);
        var keys = lines.Select(AuditKey.FromBase64).ToList();
        return new AuditKeys(keys[^1], previous.Concat(keys[..^1]));
    }

    private static List<string> ReadOrCreate(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        try
        {
            // CreateNew: when two instances start at once, one writes and the other reads what it wrote.
            var create = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
                create.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            using var stream = new FileStream(path, create);
            using var writer = new StreamWriter(stream);
            writer.WriteLine(Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
        }
        catch (IOException) when (File.Exists(path))
        {
        }
        for (var attempt = 0; ; attempt++)
        {
            var lines = File.ReadAllLines(path).Where(l => !string.IsNullOrWhiteSpace(l) && !l.TrimStart().StartsWith('#')).ToList();
            if (lines.Count > 0)
            {
                var bad = lines.FindIndex(l => !AuditOptions.IsKey(l));
                if (bad >= 0)
                    throw new InvalidOperationException($"The audit key file {path} has a line ({bad + 1}) that is not base64 of at least 32 bytes.");
                return lines;
            }
            // Another instance created the file a moment ago and has not written its line yet.
            if (attempt >= 50)
                throw new InvalidOperationException($"The audit key file {path} is empty.");
            Thread.Sleep(20);
        }
    }

    internal static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
