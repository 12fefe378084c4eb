using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Waypoint.Data;

/// <summary>
/// Turns on SQLite's <c>secure_delete</c> for every connection the app opens, so that a record
/// disposed of under the retention schedule is overwritten with zeros rather than left readable in
/// the file's free pages until they are reused. The setting lasts only for its connection, so it is
/// set each time one opens; it costs a little write speed, which disposal's promise is worth.
/// </summary>
internal sealed class SqliteSecureDelete : DbConnectionInterceptor
{
    private const string Pragma = "PRAGMA secure_delete = ON;";

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        using var command = connection.CreateCommand();
        command.CommandText = Pragma;
        command.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = Pragma;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
