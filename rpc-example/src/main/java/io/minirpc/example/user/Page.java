package io.minirpc.example.user;

import java.util.List;

/** A page of results, as the benchmark's {@code listUser} returns it. */
public final class Page<T> {
  private int pageNo;
  private int total;
  private List<T> result;

  public int getPageNo() {
    return pageNo;
  }

  public void setPageNo(int pageNo) {
    this.pageNo = pageNo;
  }

  public int getTotal() {
    return total;
  }

  public void setTotal(int total) {
    this.total = total;
  }

  public List<T> getResult() {
    return result;
  }

  public void setResult(List<T> result) {
    this.result = result;
  }
}
