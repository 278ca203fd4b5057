//! The HLS player: follows a session's media playlist and feeds each listed fragment, fetched
//! as GetMediaForFragmentList would return it, into the browser's media pipeline.

use super::fragment_table::short_number;
use super::player::Player;
use crate::ui::{Lang, SimHandle, Text};
use web_sys::HtmlVideoElement;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct PlayerViewProps {
    pub sim: SimHandle,
    pub stream: AttrValue,
    /// Fragment numbers the media playlist lists now, oldest first.
    pub playlist: Vec<String>,
    /// The playlist has `#EXT-X-ENDLIST`: nothing more will come.
    pub ended: bool,
}

/// Something about playback changed (position, fragments taken in): redraw the figures.
pub enum Msg {
    Progress,
}

pub struct PlayerView {
    video: NodeRef,
    player: Option<Player>,
    error: Option<String>,
}

impl PlayerView {
    /// Attaches on the first fragment (its bytes say which codec the buffer needs), then
    /// queues every listed fragment the player does not have yet.
    fn feed(&mut self, ctx: &Context<Self>) {
        let props = ctx.props();
        let sim = props.sim.read();
        let Ok(fragments) = sim.video.fragments_by_number(&props.stream, &props.playlist) else {
            return;
        };
        if self.player.is_none() && self.error.is_none() {
            let (Some(video), Some(first)) = (self.video.cast::<HtmlVideoElement>(), fragments.first()) else { return };
            let Some(mse_type) = first.mse_type.clone() else {
                self.error = Some(format!("Fragment {} holds media this browser cannot be told how to play.", first.number));
                return;
            };
            let link = ctx.link().clone();
            match Player::attach(&video, &mse_type, move || link.send_message(Msg::Progress)) {
                Ok(p) => {
                    let _ = video.play();
                    self.player = Some(p);
                }
                Err(e) => self.error = Some(e),
            }
        }
        if let Some(player) = &self.player {
            for f in &fragments {
                if !player.has(&f.number) {
                    player.enqueue(&f.number, f.media.clone());
                }
            }
            if props.ended {
                player.finish();
            }
        }
    }
}

impl Component for PlayerView {
    type Message = Msg;
    type Properties = PlayerViewProps;

    fn create(_ctx: &Context<Self>) -> Self {
        Self { video: NodeRef::default(), player: None, error: None }
    }

    fn update(&mut self, _ctx: &Context<Self>, _msg: Msg) -> bool {
        true
    }

    fn rendered(&mut self, ctx: &Context<Self>, _first_render: bool) {
        self.feed(ctx);
    }

    fn view(&self, ctx: &Context<Self>) -> Html {
        let props = ctx.props();
        let lang = ctx.link().context::<Lang>(Callback::noop()).map_or(Lang::En, |(l, _)| l);
        let video = self.video.cast::<HtmlVideoElement>();
        let current = video.as_ref().map_or(0.0, |v| v.current_time());
        let received = self.player.as_ref().map_or(0, Player::appended);
        let error = self.error.clone().or_else(|| self.player.as_ref().and_then(Player::error));
        html! {
            <div class="player">
                <video ref={self.video.clone()} muted=true playsinline=true controls=true autoplay=true
                       width="480" height="270" data-testid="player-video"
                       ontimeupdate={ctx.link().callback(|_| Msg::Progress)} />
                <div class="player-side">
                <dl class="facts">
                    <dt>{ lang.t(Text::FragmentsReceived) }</dt>
                    <dd data-testid="player-received">{ received }</dd>
                    <dt>{ lang.t(Text::ListedInPlaylist) }</dt>
                    <dd>{ props.playlist.len() }</dd>
                    <dt>{ lang.t(Text::PlaybackPosition) }</dt>
                    <dd data-testid="player-time">{ format!("{current:.2} s") }</dd>
                </dl>
                <ol class="playlist-list">
                    { for props.playlist.iter().map(|n| {
                        let have = self.player.as_ref().is_some_and(|p| p.has(n));
                        html! { <li class={classes!(have.then_some("have"))} title={n.clone()}>
                            { short_number(n) }{ if have { " ✓" } else { "" } }
                        </li> }
                    }) }
                </ol>
                </div>
                if let Some(e) = error { <p class="alert" role="alert">{ e }</p> }
            </div>
        }
    }
}
