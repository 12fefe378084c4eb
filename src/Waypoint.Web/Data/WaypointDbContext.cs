using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Waypoint.Access;
using Waypoint.Audit;
using Waypoint.Domain;
using Waypoint.Identity;

namespace Waypoint.Data;

/// <summary>
/// The one DbContext. Person-level sets carry the access policy as query filters, so every query
/// (page, API, search, export) sees only what the current reader may see. Provider-specific
/// subclasses exist only so that each provider keeps its own migrations.
/// </summary>
public abstract class WaypointDbContext : IdentityDbContext<WaypointUser, WaypointRole, Guid>
{
    // The request's reader and clock. The app's contexts come from a pool (DatabaseServices): each
    // request leases one and gives it its own ReaderContext (Lease), and both are taken away again
    // when the context goes back to the pool (Dispose). Between leases a context has no reader, and
    // anything that would read one (a query filter, SaveChanges) throws: never a default reader.
    private ReaderContext? readerContext;
    private TimeProvider? clock;

    /// <summary>The pool's constructor: no reader until <see cref="Lease"/>.</summary>
    protected WaypointDbContext(DbContextOptions options) : base(options)
    {
    }

    /// <summary>A context made directly (tools, tests, the owner's connection), leased for its whole life.</summary>
    protected WaypointDbContext(DbContextOptions options, ReaderContext readerContext, TimeProvider clock) : base(options) =>
        Lease(readerContext, clock);

    /// <summary>Gives a context from the pool the request's reader (its scope's <see cref="ReaderContext"/>) and clock.</summary>
    internal WaypointDbContext Lease(ReaderContext reader, TimeProvider time)
    {
        if (readerContext is not null)
            throw new InvalidOperationException("A context was leased while it still had a reader: it was not given back to the pool cleanly.");
        readerContext = reader;
        clock = time;
        return this;
    }

    public override void Dispose()
    {
        Release();
        base.Dispose();
    }

    public override ValueTask DisposeAsync()
    {
        Release();
        return base.DisposeAsync();
    }

    // Everything the app keeps on a context besides EF's own state (which the pool resets: the change
    // tracker, the transaction and connection, the tracking behaviour) goes here.
    private void Release()
    {
        readerContext = null;
        clock = null;
        AuditStage = null;
    }

    private ReaderContext Readers => readerContext
        ?? throw new InvalidOperationException("This context has no reader: it is between leases (or was disposed). Resolve WaypointDbContext from a request's scope.");

    private TimeProvider Clock => clock
        ?? throw new InvalidOperationException("This context has no clock: it is between leases (or was disposed).");

    public DbSet<Area> Areas => Set<Area>();
    public DbSet<Organisation> Organisations => Set<Organisation>();
    public DbSet<PartnershipRoleGrant> PartnershipRoleGrants => Set<PartnershipRoleGrant>();
    public DbSet<Person> People => Set<Person>();
    public DbSet<Household> Households => Set<Household>();
    public DbSet<PersonIdentifier> PersonIdentifiers => Set<PersonIdentifier>();
    public DbSet<PersonRelationship> PersonRelationships => Set<PersonRelationship>();
    public DbSet<Enrolment> Enrolments => Set<Enrolment>();
    public DbSet<PupilCharacteristics> PupilCharacteristics => Set<PupilCharacteristics>();
    public DbSet<PupilCharacteristicsChange> PupilCharacteristicsChanges => Set<PupilCharacteristicsChange>();
    public DbSet<Involvement> Involvements => Set<Involvement>();
    public DbSet<BreakGlassGrant> BreakGlassGrants => Set<BreakGlassGrant>();
    public DbSet<AttendanceRecord> AttendanceRecords => Set<AttendanceRecord>();
    public DbSet<Suspension> Suspensions => Set<Suspension>();
    public DbSet<BehaviourIncident> BehaviourIncidents => Set<BehaviourIncident>();
    public DbSet<ManagedMove> ManagedMoves => Set<ManagedMove>();
    public DbSet<TopTenNomination> TopTenNominations => Set<TopTenNomination>();
    public DbSet<PartTimeTimetable> PartTimeTimetables => Set<PartTimeTimetable>();
    public DbSet<Alert> Alerts => Set<Alert>();
    public DbSet<AlertEvent> AlertEvents => Set<AlertEvent>();
    public DbSet<AlertThreshold> AlertThresholds => Set<AlertThreshold>();
    public DbSet<RecordCategory> RecordCategories => Set<RecordCategory>();
    public DbSet<SharingAgreementVersion> SharingAgreementVersions => Set<SharingAgreementVersion>();
    public DbSet<SharingRule> SharingRules => Set<SharingRule>();
    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();
    public DbSet<ArchivedAuditEntry> AuditArchive => Set<ArchivedAuditEntry>();
    public DbSet<AuditPeriod> AuditPeriods => Set<AuditPeriod>();
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();
    public DbSet<Notification> Notifications => Set<Notification>();
    public DbSet<ImportJob> ImportJobs => Set<ImportJob>();
    public DbSet<ImportColumnMapping> ImportColumnMappings => Set<ImportColumnMapping>();
    public DbSet<Referral> Referrals => Set<Referral>();
    public DbSet<Case> Cases => Set<Case>();
    public DbSet<CaseMember> CaseMembers => Set<CaseMember>();
    public DbSet<CaseAction> CaseActions => Set<CaseAction>();
    public DbSet<CaseEvent> CaseEvents => Set<CaseEvent>();
    public DbSet<CaseFamilyMember> CaseFamilyMembers => Set<CaseFamilyMember>();
    public DbSet<CaseGoal> CaseGoals => Set<CaseGoal>();
    public DbSet<CaseNote> CaseNotes => Set<CaseNote>();
    public DbSet<CaseReview> CaseReviews => Set<CaseReview>();
    public DbSet<CaseTransfer> CaseTransfers => Set<CaseTransfer>();
    public DbSet<ConsentRecord> ConsentRecords => Set<ConsentRecord>();
    public DbSet<ConsentRequest> ConsentRequests => Set<ConsentRequest>();
    public DbSet<TriageSettings> TriageSettings => Set<TriageSettings>();
    // Police information and risk (issue 13).
    public DbSet<Occurrence> Occurrences => Set<Occurrence>();
    public DbSet<OccurrencePerson> OccurrencePeople => Set<OccurrencePerson>();
    public DbSet<OccurrenceMatchReview> OccurrenceMatchReviews => Set<OccurrenceMatchReview>();
    public DbSet<PersonFlag> PersonFlags => Set<PersonFlag>();
    public DbSet<RiskMatrixVersion> RiskMatrixVersions => Set<RiskMatrixVersion>();
    public DbSet<RiskFactor> RiskFactors => Set<RiskFactor>();
    public DbSet<RiskScore> RiskScores => Set<RiskScore>();
    public DbSet<CohortReview> CohortReviews => Set<CohortReview>();
    public DbSet<StreetCrimeCount> StreetCrimeCounts => Set<StreetCrimeCount>();
    public DbSet<LsoaWard> LsoaWards => Set<LsoaWard>();
    public DbSet<PlaceOfConcern> PlacesOfConcern => Set<PlaceOfConcern>();
    public DbSet<PlaceOfConcernLink> PlaceOfConcernLinks => Set<PlaceOfConcernLink>();
    public DbSet<RiskSettings> RiskSettings => Set<RiskSettings>();
    public DbSet<RiskRecomputeJob> RiskRecomputeJobs => Set<RiskRecomputeJob>();
    public DbSet<ExclusionDayCount> ExclusionDayCounts => Set<ExclusionDayCount>();
    public DbSet<ExclusionPupilCount> ExclusionPupilCounts => Set<ExclusionPupilCount>();
    public DbSet<CensusHeadcount> CensusHeadcounts => Set<CensusHeadcount>();
    public DbSet<ExclusionMonthCount> ExclusionMonthCounts => Set<ExclusionMonthCount>();
    public DbSet<ExclusionReasonDayCount> ExclusionReasonDayCounts => Set<ExclusionReasonDayCount>();
    public DbSet<ExclusionAreaMonthCount> ExclusionAreaMonthCounts => Set<ExclusionAreaMonthCount>();
    public DbSet<ExclusionAreaDayCount> ExclusionAreaDayCounts => Set<ExclusionAreaDayCount>();
    public DbSet<ExclusionSchoolToDate> ExclusionSchoolToDates => Set<ExclusionSchoolToDate>();
    public DbSet<StatisticsCellCount> StatisticsCellCounts => Set<StatisticsCellCount>();
    public DbSet<StatisticsPublication> StatisticsPublications => Set<StatisticsPublication>();
    // Retention and disposal (issue 16).
    public DbSet<RetentionSchedule> RetentionSchedules => Set<RetentionSchedule>();
    public DbSet<RetentionReview> RetentionReviews => Set<RetentionReview>();
    public DbSet<LegalHold> LegalHolds => Set<LegalHold>();
    // Data-protection rights (issue 16b): duplicate merges and their journals, restrictions of processing.
    public DbSet<PersonMerge> PersonMerges => Set<PersonMerge>();
    public DbSet<PersonMergeStep> PersonMergeSteps => Set<PersonMergeStep>();
    public DbSet<ProcessingRestriction> ProcessingRestrictions => Set<ProcessingRestriction>();
    public DbSet<RecordChallenge> RecordChallenges => Set<RecordChallenge>();
    public DbSet<DfeExclusionFigure> DfeExclusionFigures => Set<DfeExclusionFigure>();
    public DbSet<DfeImport> DfeImports => Set<DfeImport>();
    public DbSet<BenchmarkAuthority> BenchmarkAuthorities => Set<BenchmarkAuthority>();
    public DbSet<OutcomeMeasure> OutcomeMeasures => Set<OutcomeMeasure>();
    // Subject access (issue 16, item 3).
    public DbSet<SubjectAccessRequest> SubjectAccessRequests => Set<SubjectAccessRequest>();
    public DbSet<SubjectAccessRedaction> SubjectAccessRedactions => Set<SubjectAccessRedaction>();
    public DbSet<SubjectAccessPoliceItem> SubjectAccessPoliceItems => Set<SubjectAccessPoliceItem>();
    public DbSet<SubjectAccessIssue> SubjectAccessIssues => Set<SubjectAccessIssue>();
    public DbSet<SubjectAccessSettings> SubjectAccessSettings => Set<SubjectAccessSettings>();

    public Reader Reader => Readers.Current;

    /// <summary>The sign-in's check when it is owed by the request's first statement (see <see cref="ReaderContext.Deferred"/>).</summary>
    internal DeferredSignInCheck? DeferredSignIn => Readers.Deferred;

    // Read by the query filters at query time; EF turns each into a parameter.
    internal bool ReaderIsSystem => Readers.Current.IsSystem;
    internal bool ReaderAggregatesOnly => Readers.Current.AggregatesOnly;
    internal Guid ReaderUserId => Readers.Current.UserId;
    internal Guid ReaderOrganisationId => Readers.Current.OrganisationId;
    internal OrganisationType ReaderOrganisationType => Readers.Current.OrganisationType;
    internal DateOnly Today => DateOnly.FromDateTime(Clock.GetUtcNow().UtcDateTime);
    internal DateTimeOffset Now => Clock.GetUtcNow();

    public abstract bool IsPostgres { get; }

    /// <summary>The audit rows of the write about to be saved (<see cref="AuditTrail"/> stages them here).</summary>
    internal AuditStage? AuditStage { get; set; }

    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        // Suspensions and enrolments keep the evidence rollups current in the same transaction (the async path does it).
        if (!Features.Evidence.RollupSlices.Collect(ChangeTracker).IsEmpty || !Features.Evidence.OutcomeSlices.Collect(ChangeTracker).IsEmpty)
            return SaveChangesAsync(acceptAllChangesOnSuccess).GetAwaiter().GetResult();
        KeepSearchKeysInStep();
        if (AuditStage is { IsEmpty: false } stage)
        {
            // Rare (the app saves asynchronously); the same path, so that the rule has no exception.
            return stage.SaveAsync(this, (accept, _) => Task.FromResult(base.SaveChanges(accept)), acceptAllChangesOnSuccess, CancellationToken.None)
                .GetAwaiter().GetResult();
        }
        RefuseUnauditedPersonWrite();
        return base.SaveChanges(acceptAllChangesOnSuccess);
    }

    public override async Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken ct = default)
    {
        // Every write of suspensions or enrolments adds the difference it makes to the evidence
        // rollups in the same transaction (issue 15): the published figures read only the rollups.
        var slices = Features.Evidence.RollupSlices.Collect(ChangeTracker);
        var outcomes = Features.Evidence.OutcomeSlices.Collect(ChangeTracker); // the joint outcomes rollup: the people's rows recomputed
        if (slices.IsEmpty && outcomes.IsEmpty)
            return await SaveChangesWithAuditAsync(acceptAllChangesOnSuccess, ct);
        var own = Database.CurrentTransaction is null ? await Database.BeginTransactionAsync(ct) : null;
        try
        {
            var upkeep = await Features.Evidence.RollupUpkeep.BeforeAsync(this, slices, ct);
            await outcomes.BeforeAsync(this, ct);
            var saved = await SaveChangesWithAuditAsync(acceptAllChangesOnSuccess, ct);
            await upkeep.AfterAsync(this, ct);
            await outcomes.AfterAsync(this, ct);
            if (own is not null)
                await own.CommitAsync(ct);
            return saved;
        }
        finally
        {
            if (own is not null)
                await own.DisposeAsync();
        }
    }

    /// <summary>Saves rollup rows alone, past the hooks above (nothing person-level is pending when it is called).</summary>
    internal Task<int> SaveRollupRowsAsync(CancellationToken ct) => base.SaveChangesAsync(true, ct);

    private Task<int> SaveChangesWithAuditAsync(bool acceptAllChangesOnSuccess, CancellationToken ct)
    {
        KeepSearchKeysInStep();
        if (AuditStage is { IsEmpty: false } stage)
            return stage.SaveAsync(this, (accept, c) => base.SaveChangesAsync(accept, c), acceptAllChangesOnSuccess, ct);
        RefuseUnauditedPersonWrite();
        return base.SaveChangesAsync(acceptAllChangesOnSuccess, ct);
    }

    /// <summary>
    /// A reader's change to person-level data (any type the access policy filters; notifications,
    /// which are the reader's own, excepted) must carry its audit: saving it with none staged is a
    /// bug, refused here rather than left as a silent gap in the log. Jobs and seeding run as the
    /// system and audit what they touch themselves.
    /// </summary>
    private void RefuseUnauditedPersonWrite()
    {
        if (Readers.Current.IsSystem)
            return;
        var personLevel = PersonLevelTypes.GetValue(Model, static model => model.GetEntityTypes()
            .Where(t => t.GetDeclaredQueryFilters().Count > 0 || t.GetRootType().GetDeclaredQueryFilters().Count > 0)
            .Select(t => t.ClrType)
            .Where(t => t != typeof(Notification))
            .ToHashSet());
        foreach (var entry in ChangeTracker.Entries())
        {
            if (entry.State is (EntityState.Added or EntityState.Modified or EntityState.Deleted) && personLevel.Contains(entry.Metadata.ClrType))
                throw new InvalidOperationException(
                    $"A {entry.State.ToString().ToLowerInvariant()} {entry.Metadata.ClrType.Name} was saved with no audit row staged: record the write " +
                    "(PersonAccess.AuditWriteAsync, or AuditTrail.RecordAsync/StageWrite) before the SaveChanges that makes it.");
        }
    }

    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<Microsoft.EntityFrameworkCore.Metadata.IModel, HashSet<Type>> PersonLevelTypes = [];

    // Search keys derive from the names; keeping them here means no import or page can forget them.
    private void KeepSearchKeysInStep()
    {
        foreach (var entry in ChangeTracker.Entries<Person>())
        {
            if (entry.State is not (EntityState.Added or EntityState.Modified))
                continue;
            SetSearchKeys(entry.Entity);
        }
    }

    /// <summary>The search keys of a person; also used by writers that bypass the change tracker (bulk demo data).</summary>
    internal static void SetSearchKeys(Person p)
    {
        p.SearchGivenName = Features.People.NameKeys.Normalise(p.GivenName);
        p.SearchFamilyName = Features.People.NameKeys.Normalise(p.FamilyName);
        p.GivenNameKey = Features.People.NameKeys.Key(p.GivenName);
        p.FamilyNameKey = Features.People.NameKeys.Key(p.FamilyName);
        p.SearchFamilyPrefix = Features.People.NameKeys.Prefix(p.SearchFamilyName);
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder builder)
    {
        // Enums are stored by name: readable in the database and safe when members are added.
        foreach (var type in typeof(WaypointDbContext).Assembly.GetTypes().Where(t => t.IsEnum && t.Namespace?.StartsWith("Waypoint", StringComparison.Ordinal) == true))
            builder.Properties(type).HaveConversion<string>().HaveMaxLength(40);
    }

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(WaypointDbContext).Assembly);
        AccessPolicy.ApplyQueryFilters(builder, this);
    }
}
