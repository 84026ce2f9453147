// First requests that arrive together with one token another node granted (a playlist and a
// fragment socket, several byte ranges) share one claim: the database lets a grant be claimed once.
export class SharedClaims<T> {
  private readonly pending = new Map<string, Promise<T | null>>();

  /** The claim of `token` under way, or a new one made by `claim`. */
  run(token: string, claim: () => Promise<T | null>): Promise<T | null> {
    let p = this.pending.get(token);
    if (!p) {
      p = claim().finally(() => this.pending.delete(token));
      this.pending.set(token, p);
    }
    return p;
  }
}
