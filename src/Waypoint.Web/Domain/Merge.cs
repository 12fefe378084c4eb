namespace Waypoint.Domain;

/// <summary>
/// Two register entries found to be one person, merged by a partnership administrator: every
/// record of the merged-away entry was moved to the survivor, and the journal says exactly which
/// rows moved and which were collapsed, so that an unmerge within <see cref="UnmergeWindowDays"/>
/// puts back what was there.
/// </summary>
public sealed class PersonMerge
{
    /// <summary>How long a merge can be taken back; after it, the journal is history only.</summary>
    public const int UnmergeWindowDays = 30;

    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid SurvivorId { get; set; }
    public Guid MergedId { get; set; }
    public DateTimeOffset MergedAt { get; set; }
    public Guid MergedByUserId { get; set; }
    public DateTimeOffset? UnmergedAt { get; set; }
    public Guid? UnmergedByUserId { get; set; }
    public List<PersonMergeStep> Steps { get; set; } = [];

    public DateTimeOffset UnmergeUntil => MergedAt.AddDays(UnmergeWindowDays);

    /// <summary>Still undoable: neither taken back nor past its window. Such a merge blocks another merge of either person.</summary>
    public bool IsPending(DateTimeOffset now) => UnmergedAt is null && now < UnmergeUntil;
}

public enum MergeStepKind
{
    /// <summary>A row whose column pointed at the merged-away entry now points at the survivor.</summary>
    Moved,

    /// <summary>A row that would have repeated one of the survivor's (the same identifier, the same import row), removed whole and kept here.</summary>
    Collapsed,
}

/// <summary>One row a merge touched, in the order it touched them (an unmerge walks them backwards).</summary>
public sealed class PersonMergeStep
{
    public long Id { get; set; }
    public Guid MergeId { get; set; }
    public int Sequence { get; set; }
    public MergeStepKind Kind { get; set; }
    public required string TableName { get; set; }

    /// <summary>The column that pointed at the merged-away entry.</summary>
    public required string ColumnName { get; set; }

    /// <summary>The row's primary key, as text.</summary>
    public required string RowKey { get; set; }

    /// <summary>For a collapsed row, every column as JSON (as the database wrote it), to insert it again.</summary>
    public string? RowJson { get; set; }
}
