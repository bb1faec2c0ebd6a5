// The part of better-sqlite3's API that scripts/lib/database-backup.js uses: the package ships
// no types and @types/better-sqlite3 is not installed. Type-checking only (tests/tsconfig.json).
declare module 'better-sqlite3' {
  namespace Database {
    interface Statement {
      get(...params: unknown[]): any;
      all(...params: unknown[]): any[];
      run(...params: unknown[]): { changes: number };
      pluck(): Statement;
    }
    interface Database {
      prepare(sql: string): Statement;
      exec(source: string): Database;
      pragma(source: string, options?: { simple?: boolean }): any;
      backup(destination: string): Promise<unknown>;
      close(): void;
    }
  }
  const Database: new (filename: string, options?: { readonly?: boolean; fileMustExist?: boolean; timeout?: number }) => Database.Database;
  export = Database;
}
