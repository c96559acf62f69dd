package io.minirpc.server;

import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * The server's business executor: a bounded queue of tasks served by up to {@code maxThreads}
 * threads, which wakes a sleeping thread only when no awake one is about to take the task.
 *
 * <p>A thread pool that wakes a thread for every task (as {@link
 * java.util.concurrent.ThreadPoolExecutor} does while it has idle threads) pays a futex wake and a
 * context switch per call, which for short service methods costs more than the methods themselves.
 * Here a new task wakes a thread only if no awake thread is looking for work and fewer threads than
 * processors are awake; otherwise a running thread takes it when it finishes its task. Service
 * methods may block, though, and then the awake threads are all stuck: a monitor thread notices
 * that tasks are waiting while none has been taken for {@value #STALL_MILLIS} ms, and wakes one
 * more thread each time, up to {@code maxThreads}, as threads would be woken without the limit. The
 * monitor ticks while tasks are queued and sleeps once none has been for a second.
 *
 * <p>The queue is bounded: {@link #execute} refuses a task at once when {@code maxQueued} wait
 * already, so that an overloaded server answers RESOURCE_EXHAUSTED instead of holding requests (and
 * their buffers) without limit.
 */
final class WorkerPool implements Executor {

  static final long STALL_MILLIS = 1;
  private static final long STALL_NANOS = TimeUnit.MILLISECONDS.toNanos(STALL_MILLIS);
  private static final int IDLE_TICKS_BEFORE_SLEEP = 1000;

  private final int maxThreads;
  private final int maxQueued;
  private final int parallelism;
  private final ThreadFactory threadFactory;
  private final Queue<Runnable> queue = new ConcurrentLinkedQueue<>();
  private final AtomicInteger queued = new AtomicInteger();
  // Last in, first out: the thread that slept least recently has the warmest caches.
  private final Deque<Worker> sleeping = new ConcurrentLinkedDeque<>();
  private final List<Worker> workers = new ArrayList<>();
  // Threads awake, or woken and about to be: running a task or looking for one.
  private final AtomicInteger awake = new AtomicInteger();
  // Awake threads not running a task: each polls the queue once more before it sleeps.
  private final AtomicInteger searching = new AtomicInteger();
  private final Thread monitor;
  private volatile boolean monitorSleeping;
  private volatile long lastTaken = System.nanoTime();
  private volatile boolean shutdown;

  WorkerPool(int maxThreads, int maxQueued, ThreadFactory threadFactory) {
    this(maxThreads, maxQueued, Runtime.getRuntime().availableProcessors(), threadFactory);
  }

  WorkerPool(int maxThreads, int maxQueued, int parallelism, ThreadFactory threadFactory) {
    if (maxThreads < 1 || maxQueued < 1 || parallelism < 1) {
      throw new IllegalArgumentException(
          "maxThreads, maxQueued and parallelism must be positive: "
              + maxThreads
              + ", "
              + maxQueued
              + ", "
              + parallelism);
    }
    this.maxThreads = maxThreads;
    this.maxQueued = maxQueued;
    this.parallelism = parallelism;
    this.threadFactory = threadFactory;
    this.monitor = threadFactory.newThread(this::monitor);
    monitor.setName(monitor.getName() + "-monitor");
    monitor.start();
  }

  /**
   * Queues a task.
   *
   * @throws RejectedExecutionException if {@code maxQueued} tasks wait already, or the pool is shut
   *     down
   */
  @Override
  public void execute(Runnable task) {
    if (shutdown) {
      throw new RejectedExecutionException("the pool is shut down");
    }
    if (queued.incrementAndGet() > maxQueued) {
      queued.decrementAndGet();
      throw new RejectedExecutionException("the queue is full");
    }
    queue.offer(task);
    if (searching.get() == 0 && awake.get() < parallelism) {
      wakeOne();
    }
    if (monitorSleeping) {
      monitorSleeping = false;
      LockSupport.unpark(monitor);
    }
  }

  /**
   * Stops the pool: interrupts the threads running tasks, and returns the tasks that never started.
   */
  List<Runnable> shutdownNow() {
    List<Worker> all;
    synchronized (workers) {
      shutdown = true;
      all = List.copyOf(workers);
    }
    List<Runnable> never = new ArrayList<>();
    Runnable task;
    while ((task = queue.poll()) != null) {
      queued.decrementAndGet();
      never.add(task);
    }
    for (Worker w : all) {
      w.thread.interrupt();
      LockSupport.unpark(w.thread);
    }
    LockSupport.unpark(monitor);
    return never;
  }

  /** Wakes a sleeping thread, or starts one; does nothing if every thread is awake already. */
  private void wakeOne() {
    Worker w = sleeping.pollFirst();
    if (w != null) {
      awake.incrementAndGet();
      searching.incrementAndGet();
      w.woken = true;
      LockSupport.unpark(w.thread);
      return;
    }
    synchronized (workers) {
      if (shutdown || workers.size() >= maxThreads) {
        return;
      }
      awake.incrementAndGet();
      searching.incrementAndGet();
      Worker started = new Worker();
      workers.add(started);
      started.thread.start();
    }
  }

  private final class Worker implements Runnable {
    final Thread thread = threadFactory.newThread(this);
    volatile boolean woken;

    /** Starts counted as awake and searching, as whoever woke it counted it. */
    @Override
    public void run() {
      while (!shutdown) {
        Runnable task = queue.poll();
        if (task != null) {
          queued.decrementAndGet();
          lastTaken = System.nanoTime();
          // The last thread looking for work found some: if more waits, someone must look for it.
          if (searching.decrementAndGet() == 0 && !queue.isEmpty() && awake.get() < parallelism) {
            wakeOne();
          }
          // As in ThreadPoolExecutor: an interrupt left by the last task does not reach the next.
          Thread.interrupted();
          try {
            task.run();
          } catch (Throwable t) {
            // A ServerCall answers its own failures; anything else is the task's own bug.
            Thread.UncaughtExceptionHandler handler = thread.getUncaughtExceptionHandler();
            if (handler != null) {
              handler.uncaughtException(thread, t);
            }
          }
          searching.incrementAndGet();
          continue;
        }
        sleep();
      }
      searching.decrementAndGet();
      awake.decrementAndGet();
    }

    private void sleep() {
      woken = false;
      sleeping.addFirst(this);
      searching.decrementAndGet();
      awake.decrementAndGet();
      // A task queued after the poll above may have seen this thread searching and woken nobody.
      if ((!queue.isEmpty() || shutdown) && sleeping.remove(this)) {
        awake.incrementAndGet();
        searching.incrementAndGet();
        return;
      }
      // Otherwise, or if a waker took this thread off the list first, wait for its signal.
      while (!woken && !shutdown) {
        LockSupport.park(this);
      }
      if (shutdown && !woken && sleeping.remove(this)) {
        awake.incrementAndGet();
        searching.incrementAndGet();
      }
      Thread.interrupted();
    }
  }

  /**
   * Wakes a thread more whenever tasks wait and none was taken for a while: all awake are stuck.
   */
  private void monitor() {
    int idleTicks = 0;
    while (!shutdown) {
      LockSupport.parkNanos(this, STALL_NANOS);
      if (queue.isEmpty()) {
        // Only waiting tasks can stall: with none queued for a second, sleep even while threads
        // run long tasks, rather than tick a thousand times a second for nothing. The next
        // execute wakes the monitor again, at the cost of one unpark after each idle second.
        if (++idleTicks >= IDLE_TICKS_BEFORE_SLEEP) {
          monitorSleeping = true;
          if (queue.isEmpty() && !shutdown) {
            LockSupport.park(this);
          }
          monitorSleeping = false;
          idleTicks = 0;
        }
        continue;
      }
      idleTicks = 0;
      if (searching.get() == 0 && System.nanoTime() - lastTaken > STALL_NANOS) {
        wakeOne();
      }
    }
  }
}
