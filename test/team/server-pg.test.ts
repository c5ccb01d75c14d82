// The team suite (test/team/suite.ts) on a real PostgreSQL server (test/pg.ts): the same tests, the same results.
import { teamSuite } from "./suite";

teamSuite("postgres");
