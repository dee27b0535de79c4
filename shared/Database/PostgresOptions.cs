using System.ComponentModel.DataAnnotations;

namespace ToxicFunctions.Database;

/// <summary>Settings of the PostgreSQL database (section <c>Postgres</c>).</summary>
public sealed class PostgresOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Postgres";

    /// <summary>The Npgsql connection string.</summary>
    [Required]
    public string ConnectionString { get; set; } = "";

    /// <summary>Whether hosts apply pending schema migrations when they start.</summary>
    public bool MigrateOnStartup { get; set; } = true;
}
