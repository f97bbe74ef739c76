// What a front end writes against the generated types: tsc --strict must accept it, and the
// assertions pin each custom scalar to its wire type (a change to `unknown` fails to compile).
import type {
  AuditTrailQuery,
  ContestsQuery,
  DashboardQuery,
  DocumentUploadMutationVariables,
  PlansQuery,
  ReportsQuery,
  ScoreboardSubscription,
} from "./generated/graphql.ts";

type Equals<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
type Assert<T extends true> = T;

type Plan = PlansQuery["plans"]["nodes"][number];
type Entry = ContestsQuery["contests"]["nodes"][number]["entries"]["nodes"][number];
type Report = ReportsQuery["progressReports"]["nodes"][number];

export type Scalars = [
  Assert<Equals<Plan["budgetTotal"], string>>, // Decimal
  Assert<Equals<Plan["createdAt"], string>>, // DateTime
  Assert<Equals<Plan["activities"][number]["startsOn"], string>>, // Date
  Assert<Equals<Report["budgetSpent"], string | null>>, // Decimal, nullable
  Assert<Equals<DocumentUploadMutationVariables["input"]["file"], File | Blob>>, // Upload
  Assert<Equals<Entry["awardLevel"], { code: string; labelTh: string; labelEn: string | null } | null>>,
];

export function budgetLabel(plan: Plan): string {
  const [baht, satang] = plan.budgetTotal.split(".");
  return `${Number(baht).toLocaleString("th-TH")}.${satang} บาท`;
}

export function awardNames(data: DashboardQuery): string[] {
  return data.dashboard.total.contest.awards.map((award) => `${award.level.labelTh} × ${award.count}`);
}

export function auditKeys(data: AuditTrailQuery): string[] {
  return data.auditEvents.nodes.flatMap((event) => Object.keys(event.after ?? {}));
}

export function leader(update: ScoreboardSubscription): string | null {
  const board = update.contestScoreboard;
  return board.rank === 1 ? board.entry.id : null;
}
